namespace Sr.Models.Training;

/// <summary>The loss or the gradient became NaN/∞. Training stopped without writing the bad state; the last good checkpoint (if any) is untouched.</summary>
public sealed class TrainingDivergedException(long step, string what, string? lastGoodCheckpoint, long? lastGoodStep)
    : Exception($"Training diverged at step {step}: {what}. " +
        (lastGoodCheckpoint is null ? "No checkpoint had been written." : $"The last good checkpoint is {lastGoodCheckpoint} (step {lastGoodStep}); resume from it with a lower learning rate or gradient clipping."))
{
    /// <summary>The step whose loss or gradient was not finite (1-based: the step that would have completed).</summary>
    public long Step { get; } = step;

    /// <summary>What was not finite, e.g. "the loss is NaN".</summary>
    public string What { get; } = what;

    public string? LastGoodCheckpoint { get; } = lastGoodCheckpoint;
    public long? LastGoodStep { get; } = lastGoodStep;
}
