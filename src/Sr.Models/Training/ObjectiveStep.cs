using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>
/// The step of every single-network method: the <see cref="ITrainingObjective"/>'s loss on the batch, backward, the recipe's
/// gradient clipping, the optimizer's update, then the MultiStepLR schedule set from the step count (a closed form, so a
/// resumed run continues it exactly). A checkpoint holds the network and the optimizer (<see cref="Checkpoint.NetworkKind"/>).
/// </summary>
public sealed class ObjectiveStep : ITrainingStep
{
    private readonly ITrainingObjective _objective;
    private readonly TrainingRecipe _recipe;
    private readonly torch.optim.Optimizer _optimizer;
    private readonly torch.optim.lr_scheduler.MultiStepLR _scheduler;
    private long _step;

    /// <summary>The recipe's optimizer over the network's trainable parameters; <paramref name="objective"/> defaults to <see cref="Trainer.DefaultObjective"/>.</summary>
    public ObjectiveStep(SrNetwork network, TrainingRecipe recipe, ITrainingObjective? objective = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(recipe);
        Network = network;
        _recipe = recipe;
        _objective = objective ?? Trainer.DefaultObjective(network, recipe);
        _optimizer = Trainer.CreateOptimizer(network, recipe);
        _scheduler = new torch.optim.lr_scheduler.MultiStepLR(_optimizer, recipe.LrMilestones, recipe.LrGamma);
    }

    public SrNetwork Network { get; }
    public string CheckpointKind => Checkpoint.NetworkKind;
    public string RunDescription => $"a single-network training run ({Network.GetName})";
    public long SeedSalt => 0x7E57;
    public long DefaultSteps => _recipe.Steps;
    public double LearningRate => _optimizer.ParamGroups[0].LearningRate;

    public void Begin(long step)
    {
        _step = step;
        _scheduler.SetEpoch((int)Math.Min(step, int.MaxValue));
        Network.train();
    }

    public double Optimize(PatchBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (lr, hr) = batch.ToTensors();
        var loss = _objective.Loss(Network, lr, hr, batch.BoundaryTensor());
        double value = loss.item<double>();
        if (!double.IsFinite(value)) throw new TrainingDivergedException(_step + 1, $"the loss is {value}", null, null);
        _optimizer.zero_grad();
        loss.backward();
        if (_recipe.GradClipNorm is double clip)
        {
            // VDSR's adjustable clipping: the bound is θ/γ for the current learning rate γ.
            double bound = _recipe.ClipScaledByLr ? clip / LearningRate : clip;
            double norm = torch.nn.utils.clip_grad_norm_(_optimizer.parameters(), bound);
            if (!double.IsFinite(norm)) throw new TrainingDivergedException(_step + 1, $"the gradient norm is {norm}", null, null);
        }
        _optimizer.step();
        _step++;
        _scheduler.SetEpoch((int)Math.Min(_step, int.MaxValue));
        return value;
    }

    public string? NonFiniteWeights()
    {
        using var scope = torch.NewDisposeScope();
        return Network.parameters().All(p => p.detach().isfinite().all().item<bool>()) ? null : "the network's weights are not finite";
    }

    public void SaveCheckpoint(string path, Checkpoint.State state, IReadOnlyDictionary<string, string> metadata) =>
        Checkpoint.Save(path, Network, _optimizer, state, metadata);

    public void Restore(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Network.load_state_dict(checkpoint.ModelState, strict: true);
        _optimizer.load_state_dict(checkpoint.OptimizerState);
    }

    /// <summary>Disposes the optimizer (its moments); the network belongs to the caller.</summary>
    public void Dispose() => _optimizer.Dispose();
}
