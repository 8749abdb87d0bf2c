namespace Sr.Models.Training;

public enum TrainingStopReason
{
    /// <summary>The step bound was reached.</summary>
    StepsReached,

    /// <summary>The wall-clock budget was spent.</summary>
    TimeBudgetSpent,

    /// <summary>The cancellation token fired; a checkpoint was written first (when a checkpoint path was given).</summary>
    Cancelled,
}
