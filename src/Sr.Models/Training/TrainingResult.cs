namespace Sr.Models.Training;

/// <summary>How a <see cref="Trainer.Run"/> ended.</summary>
public sealed record TrainingResult(
    long Step,
    TrainingStopReason StopReason,
    double LastLoss,
    ValidationResult? LastValidation,
    string? CheckpointPath,
    TimeSpan Elapsed)
{
    /// <summary>Training time before this session (from the checkpoint a resumed run started from; zero for a new run).</summary>
    public TimeSpan ElapsedBefore { get; init; }

    /// <summary>The run's whole training time, across resumes: what a model file records as its training time.</summary>
    public TimeSpan TotalElapsed => ElapsedBefore + Elapsed;
}
