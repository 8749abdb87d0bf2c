// SPSR (Ma et al., CVPR 2020 §4.1): the GAN training run around SpsrGanTrainer — batches, time/step bounds, validation,
// log and curves, snapshots, NaN stop and cancellation — the parts of the shared Trainer loop that a GAN can use.
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
/// Deviation from the shared <see cref="Trainer"/>: no checkpoints and no exact resume. A GAN checkpoint would need both
/// discriminators and three optimisers. A run is bounded and ends by writing the generator; a cancelled run also returns
/// its generator, so the caller can save it. Start a new run from that file with <c>--init</c>. The discriminators
/// then start again from scratch.
/// </para>
/// </summary>
public static class SpsrTrainingRun
{
    /// <summary>Trains; a non-finite generator loss throws <see cref="TrainingDivergedException"/> naming the iteration.</summary>
    public static TrainingResult Run(SpsrGanTrainer trainer, PatchSampler data, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Scale != trainer.Options.Scale) throw new ArgumentException($"The data is cut for scale {data.Scale} but the SPSR options say ×{trainer.Options.Scale}.", nameof(data));
        if (options.ResumeFrom is not null) throw new NotSupportedException("SPSR GAN runs do not resume from checkpoints; start a new run from the saved generator (--init).");
        long? maxSteps = options.MaxSteps ?? (options.MaxDuration is null ? trainer.Options.Iterations : null);
        SrNetwork generator = trainer.Generator;
        var log = new TrainingLog(options.LogCsvPath, options.CurvesPngPath);
        var clock = Stopwatch.StartNew();
        var sinceReport = Stopwatch.StartNew();
        var sinceLogWrite = Stopwatch.StartNew();
        var snapshots = options.Snapshot is null ? [] : options.SnapshotTimes.Order().ToList();
        int nextSnapshot = 0;
        long step = 0, stepsAtReport = 0;
        double lossSum = 0, lastLoss = double.NaN;
        int lossCount = 0, logEvery = Math.Max(1, options.LogEvery);
        ValidationResult? lastValidation = null;
        TrainingStopReason reason;

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
            log.Add(new TrainingLog.Row(step, clock.Elapsed.TotalSeconds, null, trainer.GeneratorLearningRate, lastValidation.Psnr, lastValidation.Ssim));
            progress?.Report(Progress("validate", lastLoss));
        }

        using (var prefetcher = new BatchPrefetcher(data.GetBatch, 0, options.PrefetchDepth))
        {
            while (true)
            {
                if (prefetcher.TakeUnlessStopped(step, maxSteps, options.MaxDuration, clock.Elapsed, cancellationToken, out var batch) is { } stop) { reason = stop; break; }
                SpsrStepLosses losses;
                using (var scope = NewDisposeScope())
                {
                    manual_seed(SplitMix64.Mix(options.Seed, step, 0x5B5B));
                    var (lr, hr) = batch.ToTensors();
                    try
                    {
                        losses = trainer.Step(lr, hr);
                    }
                    catch (InvalidOperationException e) when (e.Message.Contains("generator loss is", StringComparison.Ordinal))
                    {
                        log.Write();
                        throw new TrainingDivergedException(step + 1, e.Message, null, null);
                    }
                }
                step++;
                lastLoss = losses.GeneratorTotal;
                lossSum += lastLoss;
                lossCount++;
                if (lossCount >= logEvery)
                {
                    double mean = lossSum / lossCount;
                    log.Add(new TrainingLog.Row(step, clock.Elapsed.TotalSeconds, mean, trainer.GeneratorLearningRate, null, null));
                    progress?.Report(Progress("train", mean));
                    stepsAtReport = step;
                    sinceReport.Restart();
                    (lossSum, lossCount) = (0, 0);
                }
                while (nextSnapshot < snapshots.Count && clock.Elapsed >= snapshots[nextSnapshot])
                    options.Snapshot!(generator, step, snapshots[nextSnapshot++]);
                bool validated = options.ValidateEvery > 0 && step % options.ValidateEvery == 0;
                if (validated) Validate();
                if (validated || sinceLogWrite.Elapsed >= options.LogWriteInterval)
                {
                    log.Write();
                    sinceLogWrite.Restart();
                }
            }
        }
        if (lossCount > 0) log.Add(new TrainingLog.Row(step, clock.Elapsed.TotalSeconds, lossSum / lossCount, trainer.GeneratorLearningRate, null, null));
        if (reason != TrainingStopReason.Cancelled && step > 0 && (options.ValidateEvery <= 0 || step % options.ValidateEvery != 0)) Validate();
        log.Write();
        progress?.Report(Progress("done", lastLoss));
        return new TrainingResult(step, reason, lastLoss, lastValidation, null, clock.Elapsed);
    }
}
