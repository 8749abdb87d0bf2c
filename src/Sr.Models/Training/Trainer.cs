using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Training;

/// <summary>
/// The training loop shared by every method: batches from a <see cref="PatchSampler"/> (made on a background thread), an
/// <see cref="ITrainingStep"/> (BasicSR's <c>optimize_parameters</c>: <see cref="ObjectiveStep"/> for a network and its
/// <see cref="ITrainingObjective"/>, SPSR's GAN step), periodic validation, log and curves, snapshots, atomic checkpoints,
/// exact resume, NaN/∞ detection, progress and cancellation.
/// <para>
/// Exact resume: batch k is a pure function of (sampler seed, k); libtorch's generator is reseeded from (seed, step)
/// before every step; schedules are closed forms of the step; the step's checkpoint holds every optimizer's state.
/// A run stopped at step k and resumed therefore reaches the same weights at step n, bit for bit, as one that never
/// stopped (on the same machine and thread count).
/// </para>
/// </summary>
public sealed partial class Trainer
{
    private readonly SrNetwork? _network;
    private readonly ITrainingObjective? _objective;
    private readonly ITrainingStep? _step;
    private readonly PatchSampler _data;
    private readonly TrainingOptions _options;

    /// <summary>
    /// Sets up a run of one network with the recipe's optimizer (created afresh by each <see cref="Run"/>);
    /// <paramref name="objective"/> defaults to <see cref="DefaultObjective"/>.
    /// </summary>
    public Trainer(SrNetwork network, PatchSampler data, TrainingOptions options, ITrainingObjective? objective = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Scale != network.Scale) throw new ArgumentException($"The data is cut for scale {data.Scale} but the network is built for scale {network.Scale}.", nameof(data));
        if (data.Channels != network.Channels) throw new ArgumentException($"The data has {data.Channels} channel(s) but the network ({network.ColorSpace}) expects {network.Channels}.", nameof(data));
        if (data.HasBoundaries && network is not IBoundaryNetwork)
            throw new ArgumentException($"The data carries boundary maps, but {network.GetName} has no boundary output to train on them.", nameof(data));
        CheckBounds(options);
        _network = network;
        _data = data;
        _options = options;
        _objective = objective ?? DefaultObjective(network, options.Recipe);
    }

    /// <summary>Sets up a run of <paramref name="step"/> (which the caller owns and has checked against the data).</summary>
    public Trainer(ITrainingStep step, PatchSampler data, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        CheckBounds(options);
        _step = step;
        _data = data;
        _options = options;
    }

    private static void CheckBounds(TrainingOptions options)
    {
        if (options.MaxSteps is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxSteps must be positive.");
        if (options.MaxDuration is { } d && d <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "MaxDuration must be positive.");
    }

    /// <summary>
    /// What a network trains on unless told otherwise: its own objective when it has one; HR → LR → HR for a network that
    /// learns its down-scaler (RSRNet); image + α·boundary for a boundary network (LSP-HSP); else the recipe's pixel loss.
    /// </summary>
    public static ITrainingObjective DefaultObjective(SrNetwork network, TrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(recipe);
        return network switch
        {
            ITrainingObjective own => own,
            IReducingNetwork => new SynchronousReductionObjective(recipe.Loss),
            IBoundaryNetwork => new BoundaryObjective(),
            _ => new PixelLossObjective(recipe.Loss),
        };
    }

    /// <summary>The log of this run (and of the runs before it, when resumed with the same CSV path).</summary>
    public TrainingLog Log { get; private set; } = new(null, null);

    /// <summary>Builds the recipe's optimizer over the network's trainable parameters.</summary>
    public static optim.Optimizer CreateOptimizer(nn.Module network, TrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(recipe);
        var groups = ParameterGroups(network, recipe);
        return recipe.Optimizer switch
        {
            OptimizerKind.Adam => new Sr.Torch.Modules.Adam(groups, recipe.Beta1, recipe.Beta2),
            OptimizerKind.AdamW => new Sr.Torch.Modules.AdamW(groups, recipe.Beta1, recipe.Beta2),
            OptimizerKind.SGD => new Sr.Torch.Modules.SGD(groups, recipe.Momentum),
            _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe.Optimizer, "unknown optimizer"),
        };
    }

    /// <summary>
    /// The trainable parameters in optimizer groups: first those at the recipe's rate (group 0, whose rate the log shows),
    /// then one group per learning-rate multiplier, in the order of the parameters. A multiplier that matches no
    /// parameter is an error naming it (a renamed layer must not silently lose its rate).
    /// </summary>
    public static IReadOnlyList<optim.ParamGroup> ParameterGroups(nn.Module network, TrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(recipe);
        var multipliers = recipe.LearningRateMultipliers ?? new Dictionary<string, double>();
        foreach (var (prefix, m) in multipliers)
            if (!(m > 0) || double.IsInfinity(m)) throw new ArgumentOutOfRangeException(nameof(recipe), m, $"The learning-rate multiplier of '{prefix}' must be positive.");
        double Multiplier(string name) =>
            multipliers.Where(p => name.StartsWith(p.Key, StringComparison.Ordinal)).OrderByDescending(p => p.Key.Length).Select(p => p.Value).DefaultIfEmpty(1).First();
        var trainable = network.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        foreach (var prefix in multipliers.Keys)
            if (!trainable.Any(p => p.name.StartsWith(prefix, StringComparison.Ordinal)))
                throw new ArgumentException($"The learning-rate multiplier '{prefix}' matches no trainable parameter of {network.GetName}.", nameof(recipe));
        return trainable.GroupBy(p => Multiplier(p.name)).OrderBy(g => g.Key == 1 ? 0 : 1)
            .Select(g => new optim.ParamGroup(g.Select(p => p.parameter), recipe.LearningRate * g.Key) { WeightDecay = recipe.WeightDecay })
            .ToList();
    }

    /// <summary>
    /// Trains until the step bound, the time budget or cancellation. Cancellation writes a checkpoint (when a path is
    /// set) and returns with <see cref="TrainingStopReason.Cancelled"/>. A non-finite loss or gradient throws
    /// <see cref="TrainingDivergedException"/> naming the step, leaving the last good checkpoint in place.
    /// </summary>
    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_step is not null) return new Loop(this, _step, progress).Run(cancellationToken);
        using var step = new ObjectiveStep(_network!, _options.Recipe, _objective);
        return new Loop(this, step, progress).Run(cancellationToken);
    }
}
