using System.Diagnostics;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Training;

/// <summary>
/// The training loop shared by every network: batches from a <see cref="PatchSampler"/> (made on a background thread),
/// the recipe's optimizer, MultiStepLR schedule and gradient clipping, an <see cref="ITrainingObjective"/>, periodic
/// validation, atomic checkpoints, exact resume, NaN/∞ detection, progress and cancellation.
/// <para>
/// Exact resume: batch k is a pure function of (sampler seed, k); libtorch's generator is reseeded from (seed, step)
/// before every step; the schedule is a closed form of the step; the optimizer's moments and step counts are saved.
/// A run stopped at step k and resumed therefore reaches the same weights at step n, bit for bit, as one that never
/// stopped (on the same machine and thread count).
/// </para>
/// </summary>
public sealed class Trainer
{
    private readonly SrNetwork _network;
    private readonly PatchSampler _data;
    private readonly TrainingOptions _options;
    private readonly ITrainingObjective _objective;

    /// <summary>Sets up a run; <paramref name="objective"/> defaults to <see cref="DefaultObjective"/>.</summary>
    public Trainer(SrNetwork network, PatchSampler data, TrainingOptions options, ITrainingObjective? objective = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Scale != network.Scale) throw new ArgumentException($"The data is cut for scale {data.Scale} but the network is built for scale {network.Scale}.", nameof(data));
        if (data.Channels != network.Channels) throw new ArgumentException($"The data has {data.Channels} channel(s) but the network ({network.ColorSpace}) expects {network.Channels}.", nameof(data));
        if (data.HasBoundaries && network is not IBoundaryNetwork)
            throw new ArgumentException($"The data carries boundary maps, but {network.GetName} has no boundary output to train on them.", nameof(data));
        if (options.MaxSteps is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxSteps must be positive.");
        if (options.MaxDuration is { } d && d <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "MaxDuration must be positive.");
        _network = network;
        _data = data;
        _options = options;
        _objective = objective ?? DefaultObjective(network, options.Recipe);
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
        var recipe = _options.Recipe;
        long? maxSteps = _options.MaxSteps ?? (_options.MaxDuration is null ? recipe.Steps : null);
        using var optimizer = CreateOptimizer(_network, recipe);
        var scheduler = new optim.lr_scheduler.MultiStepLR(optimizer, recipe.LrMilestones, recipe.LrGamma);

        long step = 0;
        double elapsedBefore = 0;
        string? lastGood = null;
        long? lastGoodStep = null;
        if (_options.ResumeFrom is { } resume)
        {
            (step, elapsedBefore) = Checkpoint.Resume(resume, Checkpoint.NetworkKind, $"a single-network training run ({_network.GetName})", _data.Seed, ckpt =>
            {
                _network.load_state_dict(ckpt.ModelState, strict: true);
                optimizer.load_state_dict(ckpt.OptimizerState);
            });
            lastGood = resume;
            lastGoodStep = step;
        }
        // The schedule is a closed form of the step, so a resumed run continues it exactly.
        scheduler.SetEpoch((int)Math.Min(step, int.MaxValue));

        Log = new TrainingLog(_options.LogCsvPath, _options.CurvesPngPath, _options.CurvesRenderer);
        if (_options.ResumeFrom is not null) Log.LoadExisting(step);

        var clock = Stopwatch.StartNew();
        var sinceCheckpoint = Stopwatch.StartNew();
        var sinceLogWrite = Stopwatch.StartNew();
        var sinceReport = Stopwatch.StartNew();
        long stepsAtReport = step;
        double lossSum = 0, lastLoss = double.NaN;
        int lossCount = 0;
        ValidationResult? lastValidation = null;
        int logEvery = Math.Max(1, _options.LogEvery);
        var snapshotTimes = _options.Snapshot is null ? [] : _options.SnapshotTimes.Order().ToList();
        int nextSnapshot = 0;
        TrainingStopReason reason;
        _network.train();

        double Elapsed() => elapsedBefore + clock.Elapsed.TotalSeconds;

        TrainingProgress Progress(string evt, double loss) => new()
        {
            Step = step,
            MaxSteps = maxSteps,
            Elapsed = clock.Elapsed,
            Budget = _options.MaxDuration,
            Loss = loss,
            StepsPerSecond = sinceReport.Elapsed.TotalSeconds > 0 ? (step - stepsAtReport) / sinceReport.Elapsed.TotalSeconds : 0,
            LearningRate = optimizer.ParamGroups[0].LearningRate,
            LastValidation = lastValidation,
            Event = evt,
        };

        void SaveCheckpoint()
        {
            if (_options.CheckpointPath is not { } path) return;
            // Never replace a good checkpoint by a bad one: weights that went non-finite are not saved.
            if (!WeightsAreFinite()) throw new TrainingDivergedException(step, "the network's weights are not finite", lastGood, lastGoodStep);
            Checkpoint.Save(path, _network, optimizer, new Checkpoint.State(step, _options.Seed, _data.Seed, step, Elapsed()), _options.CheckpointMetadata);
            lastGood = path;
            lastGoodStep = step;
            sinceCheckpoint.Restart();
            progress?.Report(Progress("checkpoint", lastLoss));
        }

        void Validate()
        {
            if (_options.Validate is null) return;
            _network.eval();
            try
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                lastValidation = _options.Validate(_network);
            }
            finally
            {
                _network.train();
            }
            Log.Add(new TrainingLog.Row(step, Elapsed(), null, optimizer.ParamGroups[0].LearningRate, lastValidation.Psnr, lastValidation.Ssim));
            progress?.Report(Progress("validate", lastLoss));
        }

        try
        {
        using (var prefetcher = new BatchPrefetcher(_data.GetBatch, step, _options.PrefetchDepth))
        {
            while (true)
            {
                if (prefetcher.TakeUnlessStopped(step, maxSteps, _options.MaxDuration, clock.Elapsed, cancellationToken, out var batch) is { } stop) { reason = stop; break; }

                double lossValue = TrainStep(batch, optimizer, step);
                step++;
                scheduler.SetEpoch((int)Math.Min(step, int.MaxValue));
                lastLoss = lossValue;
                lossSum += lossValue;
                lossCount++;

                if (lossCount >= logEvery)
                {
                    double mean = lossSum / lossCount;
                    Log.Add(new TrainingLog.Row(step, Elapsed(), mean, optimizer.ParamGroups[0].LearningRate, null, null));
                    progress?.Report(Progress("train", mean));
                    stepsAtReport = step;
                    sinceReport.Restart();
                    lossSum = 0;
                    lossCount = 0;
                }
                while (nextSnapshot < snapshotTimes.Count && clock.Elapsed >= snapshotTimes[nextSnapshot])
                {
                    _options.Snapshot!(_network, step, snapshotTimes[nextSnapshot]);
                    nextSnapshot++;
                }
                bool validated = false;
                if (_options.ValidateEvery > 0 && step % _options.ValidateEvery == 0) { Validate(); validated = true; }
                if ((_options.CheckpointEvery > 0 && step % _options.CheckpointEvery == 0) || sinceCheckpoint.Elapsed >= _options.CheckpointInterval) SaveCheckpoint();
                if (validated || sinceLogWrite.Elapsed >= _options.LogWriteInterval)
                {
                    Log.Write();
                    sinceLogWrite.Restart();
                }
            }
        }
        }
        catch (TrainingDivergedException)
        {
            Log.Write(); // the curves up to the failure help to see why
            throw;
        }

        if (lossCount > 0) Log.Add(new TrainingLog.Row(step, Elapsed(), lossSum / lossCount, optimizer.ParamGroups[0].LearningRate, null, null));
        if (reason != TrainingStopReason.Cancelled && (lastValidation is null || _options.ValidateEvery <= 0 || step % _options.ValidateEvery != 0)) Validate();
        SaveCheckpoint();
        Log.Write();
        progress?.Report(Progress("done", lastLoss));
        return new TrainingResult(step, reason, lastLoss, lastValidation, _options.CheckpointPath is null ? null : lastGood, clock.Elapsed) { ElapsedBefore = TimeSpan.FromSeconds(elapsedBefore) };

        double TrainStep(PatchBatch b, optim.Optimizer opt, long completed)
        {
            using var scope = NewDisposeScope();
            // Any randomness inside the step (dropout, noise) is a function of the step alone: resume needs no generator state.
            manual_seed(SplitMix64.Mix(_options.Seed, completed, 0x7E57));
            var (lr, hr) = b.ToTensors();
            var loss = _objective.Loss(_network, lr, hr, b.BoundaryTensor());
            double value = loss.item<double>();
            if (!double.IsFinite(value)) throw new TrainingDivergedException(completed + 1, $"the loss is {value}", lastGood, lastGoodStep);
            opt.zero_grad();
            loss.backward();
            var group = opt.ParamGroups[0];
            if (recipe.GradClipNorm is double clip)
            {
                // VDSR's adjustable clipping: the bound is θ/γ for the current learning rate γ.
                double bound = recipe.ClipScaledByLr ? clip / group.LearningRate : clip;
                double norm = nn.utils.clip_grad_norm_(opt.parameters(), bound);
                if (!double.IsFinite(norm)) throw new TrainingDivergedException(completed + 1, $"the gradient norm is {norm}", lastGood, lastGoodStep);
            }
            opt.step();
            return value;
        }
    }

    private bool WeightsAreFinite()
    {
        using var scope = NewDisposeScope();
        return _network.parameters().All(p => p.detach().isfinite().all().item<bool>());
    }
}
