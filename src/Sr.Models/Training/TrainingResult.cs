namespace Sr.Models.Training;

/// <summary>How a <see cref="Trainer.Run"/> ended.</summary>
public sealed record TrainingResult(
    long Step,
    TrainingStopReason StopReason,
    double LastLoss,
    ValidationResult? LastValidation,
    string? CheckpointPath,
    TimeSpan Elapsed);
