namespace Sr.Models.Registry;

/// <summary>
/// The pixel criterion. <see cref="L1"/> and <see cref="MSE"/> average over every element (PyTorch's default reduction);
/// <see cref="EuclideanSum"/> is Caffe's EuclideanLoss, ½·Σ‖x̃ − y‖² over each patch's pixels, averaged over the batch — the loss
/// the Caffe-era recipes (VDSR, DRRN, GLRL: lr 0.1, weight decay 1e-4, clipping) were tuned with. Its gradients are
/// C·H·W/2 times the mean's, while weight decay is not scaled: the two are not interchangeable under those recipes. The GLRL/VDSR
/// recipes still use <see cref="MSE"/>: with this loss VDSR diverged under the engine's norm clipping (see ModelRegistry).
/// </summary>
public enum LossKind { L1, MSE, EuclideanSum }

public enum OptimizerKind { Adam, SGD, AdamW }

/// <summary>
/// A paper's default training recipe as data (BasicSR-style): everything the training engine needs to reproduce it,
/// and every field overridable from an options file or the CLI.
/// </summary>
public sealed record TrainingRecipe
{
    public LossKind Loss { get; init; } = LossKind.L1;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>
    /// Per-layer learning rates as multipliers of <see cref="LearningRate"/>, by parameter-name prefix (the longest matching
    /// prefix wins; other parameters get 1): SRCNN's and RSRNet's "final layer learns 10 times slower" is
    /// <c>{ ["reconstruct."] = 0.1 }</c>. Each multiplier becomes an optimizer parameter group, scheduled like the first.
    /// </summary>
    public IReadOnlyDictionary<string, double>? LearningRateMultipliers { get; init; }
    public double Momentum { get; init; } = 0.9;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double WeightDecay { get; init; }

    /// <summary>Multiply the learning rate by <see cref="LrGamma"/> at each of these steps (MultiStepLR); empty = constant.</summary>
    public IReadOnlyList<int> LrMilestones { get; init; } = [];
    public double LrGamma { get; init; } = 0.5;

    /// <summary>Clip the gradient norm to this value (null = no clipping). GLRL/DRRN/VDSR use θ/lr-scaled clipping: see <see cref="ClipScaledByLr"/>.</summary>
    public double? GradClipNorm { get; init; }

    /// <summary>VDSR-style adjustable clipping: the clip bound is GradClipNorm / current learning rate.</summary>
    public bool ClipScaledByLr { get; init; }

    public int BatchSize { get; init; } = 16;

    /// <summary>HR patch size in pixels (LR patch = HR / scale).</summary>
    public int HrPatchSize { get; init; } = 96;

    public bool Augment { get; init; } = true;

    /// <summary>Steps of the paper's schedule (the CLI's --steps/--minutes bound the actual run).</summary>
    public int Steps { get; init; } = 100_000;

    /// <summary>Where the paper's recipe comes from and what was changed for this CPU (free text, shown by `sr models`).</summary>
    public string Notes { get; init; } = "";
}
