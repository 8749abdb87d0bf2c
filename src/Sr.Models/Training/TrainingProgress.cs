namespace Sr.Models.Training;

/// <summary>What a running training job reports (through <see cref="IProgress{T}"/>).</summary>
public sealed record TrainingProgress
{
    /// <summary>Completed optimizer steps (counting those before a resume).</summary>
    public long Step { get; init; }

    /// <summary>The step bound of this run, when it has one.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Wall-clock time of this run so far.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The time bound of this run, when it has one.</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Mean loss over the steps since the previous report.</summary>
    public double Loss { get; init; }

    public double StepsPerSecond { get; init; }
    public double LearningRate { get; init; }
    public ValidationResult? LastValidation { get; init; }

    /// <summary>What just happened: "train", "validate", "checkpoint", "done".</summary>
    public string Event { get; init; } = "train";

    /// <summary>Fraction done in [0,1] by steps or time, whichever is further (null without a bound).</summary>
    public double? Fraction =>
        MaxSteps is long m && m > 0 ? Math.Min(1, Math.Max((double)Step / m, TimeFraction ?? 0)) : TimeFraction;

    private double? TimeFraction => Budget is { } b && b > TimeSpan.Zero ? Math.Min(1, Elapsed / b) : null;
}
