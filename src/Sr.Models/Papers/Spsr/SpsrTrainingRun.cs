// SPSR (Ma et al., CVPR 2020 §4.1): the GAN training run around SpsrGanTrainer — the shared Trainer loop with SpsrGanStep.
using Sr.Models.Training;

namespace Sr.Models.Spsr;

/// <summary>
/// Runs <see cref="SpsrGanTrainer.Step"/> (as <see cref="SpsrGanStep"/> in the shared <see cref="Trainer"/> loop) on batches
/// of a <see cref="PatchSampler"/> until the step bound, the time budget or cancellation. It writes the shared engine's log CSV and curves PNG (the logged loss is the generator's total),
/// validates the generator on a set, and calls a snapshot hook at given times.
/// <para>
/// Checkpoints and resume follow the shared <see cref="Trainer"/>'s options and semantics: a checkpoint (kind
/// <see cref="SpsrGanTrainer.CheckpointKind"/>: G, every discriminator, the three optimisers' states, the iteration that
/// drives the fusion-only phase and the schedules, <see cref="TrainingOptions.CheckpointMetadata"/>) is written atomically
/// every <see cref="TrainingOptions.CheckpointEvery"/> steps or <see cref="TrainingOptions.CheckpointInterval"/>, at the end
/// and on cancellation; <see cref="TrainingOptions.ResumeFrom"/> continues from one. Batch k is a function of (sampler seed, k)
/// and libtorch is reseeded from (seed, step) before every step, so a run stopped at step k and resumed reaches the same
/// G and D weights at step n, bit for bit, as one that never stopped (same machine and thread count). A non-finite loss throws
/// <see cref="TrainingDivergedException"/> and leaves the last good checkpoint in place. The frozen VGG19 and NSE are not in
/// the checkpoint: the resumed trainer reads them from their files as the first run did.
/// </para>
/// </summary>
public static class SpsrTrainingRun
{
    /// <summary>
    /// Trains; cancellation writes a checkpoint (when a path is set) and returns with <see cref="TrainingStopReason.Cancelled"/>.
    /// A non-finite generator or discriminator loss throws <see cref="TrainingDivergedException"/> naming the step.
    /// </summary>
    public static TrainingResult Run(SpsrGanTrainer trainer, PatchSampler data, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Scale != trainer.Options.Scale) throw new ArgumentException($"The data is cut for scale {data.Scale} but the SPSR options say ×{trainer.Options.Scale}.", nameof(data));
        using var step = new SpsrGanStep(trainer);
        return new Trainer(step, data, options).Run(progress, cancellationToken);
    }
}
