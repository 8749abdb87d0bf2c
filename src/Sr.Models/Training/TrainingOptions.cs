using Sr.Models.Networks;
using Sr.Models.Registry;

namespace Sr.Models.Training;

/// <summary>
/// One training run: the recipe (the paper's loss/optimizer/schedule by default; override any field with
/// <c>recipe with { LearningRate = … }</c>) and the run's bounds, validation, checkpoints and logs.
/// </summary>
public sealed record TrainingOptions
{
    public required TrainingRecipe Recipe { get; init; }

    /// <summary>Stop after this many completed steps (counting steps before a resume). Null with no <see cref="MaxDuration"/> = the recipe's Steps.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Stop after this much wall-clock time in this run (validation and checkpoints included).</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Seeds the per-step libtorch generator (any randomness inside a step) — the batch stream has the sampler's seed.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Validate every N steps (0 = only at the end) when <see cref="Validate"/> is set.</summary>
    public int ValidateEvery { get; init; }

    /// <summary>Evaluates the network (in eval mode, under no-grad) on a validation set. Keep it cheap: a few images.</summary>
    public Func<SrNetwork, ValidationResult>? Validate { get; init; }

    /// <summary>Where checkpoints go (one file, replaced atomically). Null = no checkpoints.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Write a checkpoint every N steps (0 = only by time and at the end).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Write a checkpoint when this much time has passed since the last one.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Resume from this checkpoint: weights, optimizer state, step and batch position are restored exactly.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Strings stored in every checkpoint (model name, scale, options JSON …) so a run can be rebuilt from it.</summary>
    public IReadOnlyDictionary<string, string> CheckpointMetadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Average the loss over this many steps per log row and progress report.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Optional CSV of the log rows (step, time, loss, lr, validation), rewritten atomically as it grows.</summary>
    public string? LogCsvPath { get; init; }

    /// <summary>Optional PNG of the loss and validation-PSNR curves, redrawn as training goes by <see cref="CurvesRenderer"/>.</summary>
    public string? CurvesPngPath { get; init; }

    /// <summary>Draws <see cref="CurvesPngPath"/> (the CLI gives Sr.Plots' ScottPlot renderer); without one no PNG is written.</summary>
    public ICurvesRenderer? CurvesRenderer { get; init; }

    /// <summary>How often the CSV and PNG are rewritten (besides validations and the end).</summary>
    public TimeSpan LogWriteInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Times into this run (wall clock, as <see cref="MaxDuration"/> counts) at which <see cref="Snapshot"/> is called
    /// once each, between two steps: quality-versus-time curves without spending the budget on validation.
    /// </summary>
    public IReadOnlyList<TimeSpan> SnapshotTimes { get; init; } = [];

    /// <summary>Called for each of <see cref="SnapshotTimes"/> with the network (in train mode), the step and the time reached.</summary>
    public Action<SrNetwork, long, TimeSpan>? Snapshot { get; init; }

    /// <summary>Batches made ahead on the background thread.</summary>
    public int PrefetchDepth { get; init; } = 4;
}
