// SPSR-P/-J (Ma et al., TPAMI 2021, §5.1): self-supervised NSE training settings; the paper's values where it gives them.
namespace Sr.Models.Spsr;

public sealed record StructureLearningOptions
{
    public StructureLearningTask Task { get; init; } = StructureLearningTask.ContrastivePrediction;
    public ContrastiveSampling Sampling { get; init; } = ContrastiveSampling.Horizontal;
    public double Tau { get; init; } = ContrastivePrediction.PaperTau;

    /// <summary>Paper: 1e-3 for contrastive prediction (×0.2 every 20 epochs), 1e-4 for jigsaw (decayed every 30 epochs).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Paper: 48.</summary>
    public int BatchSize { get; init; } = 48;

    /// <summary>
    /// Training patch side in pixels. Stripped in our copy; "about 10,000 negatives per positive" implies ≈ 400 px
    /// (a 100×100 feature map). 400 is the default; CPU runs use smaller patches (the negative count is reported).
    /// </summary>
    public int PatchSize { get; init; } = 400;

    /// <summary>Targets (contrastive) or puzzles (jigsaw) drawn per feature map and step (ours: the paper does not say).</summary>
    public int SamplesPerMap { get; init; } = 16;

    public int Steps { get; init; } = 1000;

    /// <summary>Wall-clock budget: the run stops between two steps once it is spent (null: only <see cref="Steps"/>).</summary>
    public TimeSpan? MaxDuration { get; init; }
    public int Seed { get; init; } = 1;

    public static StructureLearningOptions PaperJigsaw => new() { Task = StructureLearningTask.Jigsaw, LearningRate = 1e-4 };
}
