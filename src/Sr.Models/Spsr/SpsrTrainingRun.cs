// SPSR (Ma et al., CVPR 2020 §4.1): the GAN training run around SpsrGanTrainer — batches, time/step bounds, validation,
// log and curves, snapshots, checkpoints and exact resume, NaN stop and cancellation, as the shared Trainer loop has them.
using System.Diagnostics;
using Sr.Models.Networks;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Spsr;

/// <summary>
/// Runs <see cref="SpsrGanTrainer.Step"/> on batches of a <see cref="PatchSampler"/> until the step bound, the time budget
/// or cancellation. It writes the shared engine's log CSV and curves PNG (the logged loss is the generator's total),
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
        if (options.MaxSteps is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxSteps must be positive.");
        if (options.MaxDuration is { } d && d <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "MaxDuration must be positive.");
        long? maxSteps = options.MaxSteps ?? (options.MaxDuration is null ? trainer.Options.Iterations : null);
        SrNetwork generator = trainer.Generator;

        long step = 0;
        double elapsedBefore = 0;
        string? lastGood = null;
        long? lastGoodStep = null;
        if (options.ResumeFrom is { } resume)
        {
            (step, elapsedBefore) = Checkpoint.Resume(resume, SpsrGanTrainer.CheckpointKind, $"an SPSR-{trainer.Options.Variant} GAN run", data.Seed, trainer.Restore);
            lastGood = resume;
            lastGoodStep = step;
        }

        var log = new TrainingLog(options.LogCsvPath, options.CurvesPngPath, options.CurvesRenderer);
        if (options.ResumeFrom is not null) log.LoadExisting(step);
        var clock = Stopwatch.StartNew();
        var sinceCheckpoint = Stopwatch.StartNew();
        var sinceReport = Stopwatch.StartNew();
        var sinceLogWrite = Stopwatch.StartNew();
        var snapshots = options.Snapshot is null ? [] : options.SnapshotTimes.Order().ToList();
        int nextSnapshot = 0;
        long stepsAtReport = step;
        double lossSum = 0, lastLoss = double.NaN;
        int lossCount = 0, logEvery = Math.Max(1, options.LogEvery);
        ValidationResult? lastValidation = null;
        TrainingStopReason reason;

        double Elapsed() => elapsedBefore + clock.Elapsed.TotalSeconds;

        TrainingProgress Progress(string evt, double loss) => new()
        {
            Step = step,
            MaxSteps = maxSteps,
            Elapsed = clock.Elapsed,
            Budget = options.MaxDuration,
            Loss = loss,
            StepsPerSecond = sinceReport.Elapsed.TotalSeconds > 0 ? (step - stepsAtReport) / sinceReport.Elapsed.TotalSeconds : 0,
            LearningRate = trainer.GeneratorLearningRate,
            LastValidation = lastValidation,
            Event = evt,
        };

        void SaveCheckpoint()
        {
            if (options.CheckpointPath is not { } path) return;
            // Never replace a good checkpoint by a bad one: weights that went non-finite are not saved.
            if (!trainer.WeightsAreFinite()) throw new TrainingDivergedException(step, "the weights of G or a discriminator are not finite", lastGood, lastGoodStep);
            trainer.SaveCheckpoint(path, new Checkpoint.State(step, options.Seed, data.Seed, step, Elapsed()), options.CheckpointMetadata);
            lastGood = path;
            lastGoodStep = step;
            sinceCheckpoint.Restart();
            progress?.Report(Progress("checkpoint", lastLoss));
        }

        void Validate()
        {
            if (options.Validate is null) return;
            generator.eval();
            try
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                lastValidation = options.Validate(generator);
            }
            finally
            {
                generator.train();
            }
            log.Add(new TrainingLog.Row(step, Elapsed(), null, trainer.GeneratorLearningRate, lastValidation.Psnr, lastValidation.Ssim));
            progress?.Report(Progress("validate", lastLoss));
        }

        try
        {
            using var prefetcher = new BatchPrefetcher(data.GetBatch, step, options.PrefetchDepth);
            while (true)
            {
                if (prefetcher.TakeUnlessStopped(step, maxSteps, options.MaxDuration, clock.Elapsed, cancellationToken, out var batch) is { } stop) { reason = stop; break; }
                SpsrStepLosses losses;
                using (var scope = NewDisposeScope())
                {
                    // Any randomness inside the step is a function of the step alone: resume needs no generator state.
                    manual_seed(SplitMix64.Mix(options.Seed, step, 0x5B5B));
                    var (lr, hr) = batch.ToTensors();
                    try
                    {
                        losses = trainer.Step(lr, hr);
                    }
                    catch (TrainingDivergedException e)
                    {
                        throw new TrainingDivergedException(step + 1, e.What, lastGood, lastGoodStep);
                    }
                }
                step++;
                lastLoss = losses.GeneratorTotal;
                lossSum += lastLoss;
                lossCount++;
                if (lossCount >= logEvery)
                {
                    double mean = lossSum / lossCount;
                    log.Add(new TrainingLog.Row(step, Elapsed(), mean, trainer.GeneratorLearningRate, null, null));
                    progress?.Report(Progress("train", mean));
                    stepsAtReport = step;
                    sinceReport.Restart();
                    (lossSum, lossCount) = (0, 0);
                }
                while (nextSnapshot < snapshots.Count && clock.Elapsed >= snapshots[nextSnapshot])
                    options.Snapshot!(generator, step, snapshots[nextSnapshot++]);
                bool validated = options.ValidateEvery > 0 && step % options.ValidateEvery == 0;
                if (validated) Validate();
                if ((options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0) || sinceCheckpoint.Elapsed >= options.CheckpointInterval) SaveCheckpoint();
                if (validated || sinceLogWrite.Elapsed >= options.LogWriteInterval)
                {
                    log.Write();
                    sinceLogWrite.Restart();
                }
            }
        }
        catch (TrainingDivergedException)
        {
            log.Write(); // the curves up to the failure help to see why
            throw;
        }

        if (lossCount > 0) log.Add(new TrainingLog.Row(step, Elapsed(), lossSum / lossCount, trainer.GeneratorLearningRate, null, null));
        if (reason != TrainingStopReason.Cancelled && step > 0 && (lastValidation is null || options.ValidateEvery <= 0 || step % options.ValidateEvery != 0)) Validate();
        SaveCheckpoint();
        log.Write();
        progress?.Report(Progress("done", lastLoss));
        return new TrainingResult(step, reason, lastLoss, lastValidation, options.CheckpointPath is null ? null : lastGood, clock.Elapsed) { ElapsedBefore = TimeSpan.FromSeconds(elapsedBefore) };
    }
}
