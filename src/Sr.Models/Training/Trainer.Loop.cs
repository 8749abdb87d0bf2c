using System.Diagnostics;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Training;

public sealed partial class Trainer
{
    /// <summary>The state of one <see cref="Run"/>: position, clocks, running loss, the last good checkpoint.</summary>
    private sealed class Loop(Trainer trainer, ITrainingStep step, IProgress<TrainingProgress>? progress)
    {
        private readonly TrainingOptions _options = trainer._options;
        private readonly PatchSampler _data = trainer._data;
        private readonly Stopwatch _clock = new(), _sinceCheckpoint = new(), _sinceLogWrite = new(), _sinceReport = new();
        private TrainingLog _log = null!;
        private long? _maxSteps;
        private long _step, _stepsAtReport;
        private double _elapsedBefore, _lossSum, _lastLoss = double.NaN;
        private int _lossCount;
        private string? _lastGood;
        private long? _lastGoodStep;
        private ValidationResult? _lastValidation;

        public TrainingResult Run(CancellationToken cancellationToken)
        {
            _maxSteps = _options.MaxSteps ?? (_options.MaxDuration is null ? step.DefaultSteps : null);
            if (_options.ResumeFrom is { } resume)
            {
                (_step, _elapsedBefore) = Checkpoint.Resume(resume, step.CheckpointKind, step.RunDescription, _data.Seed, step.Restore);
                _lastGood = resume;
                _lastGoodStep = _step;
            }
            step.Begin(_step);
            _log = trainer.Log = new TrainingLog(_options.LogCsvPath, _options.CurvesPngPath, _options.CurvesRenderer);
            if (_options.ResumeFrom is not null) _log.LoadExisting(_step);
            _stepsAtReport = _step;
            foreach (var watch in new[] { _clock, _sinceCheckpoint, _sinceLogWrite, _sinceReport }) watch.Start();

            TrainingStopReason reason;
            try
            {
                reason = Steps(cancellationToken);
            }
            catch (TrainingDivergedException)
            {
                _log.Write(); // the curves up to the failure help to see why
                throw;
            }
            if (_lossCount > 0) _log.Add(new TrainingLog.Row(_step, Elapsed(), _lossSum / _lossCount, step.LearningRate, null, null));
            if (reason != TrainingStopReason.Cancelled && (_step > 0 || step.ValidatesUntrained)
                && (_lastValidation is null || _options.ValidateEvery <= 0 || _step % _options.ValidateEvery != 0)) Validate();
            SaveCheckpoint();
            _log.Write();
            progress?.Report(Progress("done", _lastLoss));
            return new TrainingResult(_step, reason, _lastLoss, _lastValidation, _options.CheckpointPath is null ? null : _lastGood, _clock.Elapsed)
            {
                ElapsedBefore = TimeSpan.FromSeconds(_elapsedBefore),
            };
        }

        private TrainingStopReason Steps(CancellationToken cancellationToken)
        {
            var snapshotTimes = _options.Snapshot is null ? [] : _options.SnapshotTimes.Order().ToList();
            int nextSnapshot = 0, logEvery = Math.Max(1, _options.LogEvery);
            using var prefetcher = new BatchPrefetcher(_data.GetBatch, _step, _options.PrefetchDepth);
            while (true)
            {
                if (prefetcher.TakeUnlessStopped(_step, _maxSteps, _options.MaxDuration, _clock.Elapsed, cancellationToken, out var batch) is { } stop) return stop;
                _lastLoss = Optimize(batch);
                _step++;
                _lossSum += _lastLoss;
                _lossCount++;
                if (_lossCount >= logEvery)
                {
                    double mean = _lossSum / _lossCount;
                    _log.Add(new TrainingLog.Row(_step, Elapsed(), mean, step.LearningRate, null, null));
                    progress?.Report(Progress("train", mean));
                    _stepsAtReport = _step;
                    _sinceReport.Restart();
                    (_lossSum, _lossCount) = (0, 0);
                }
                while (nextSnapshot < snapshotTimes.Count && _clock.Elapsed >= snapshotTimes[nextSnapshot])
                    _options.Snapshot!(step.Network, _step, snapshotTimes[nextSnapshot++]);
                bool validated = _options.ValidateEvery > 0 && _step % _options.ValidateEvery == 0;
                if (validated) Validate();
                if ((_options.CheckpointEvery > 0 && _step % _options.CheckpointEvery == 0) || _sinceCheckpoint.Elapsed >= _options.CheckpointInterval) SaveCheckpoint();
                if (validated || _sinceLogWrite.Elapsed >= _options.LogWriteInterval)
                {
                    _log.Write();
                    _sinceLogWrite.Restart();
                }
            }
        }

        private double Optimize(PatchBatch batch)
        {
            using var scope = NewDisposeScope();
            // Any randomness inside the step (dropout, noise) is a function of the step alone: resume needs no generator state.
            manual_seed(SplitMix64.Mix(_options.Seed, _step, step.SeedSalt));
            try
            {
                return step.Optimize(batch);
            }
            catch (TrainingDivergedException e)
            {
                throw new TrainingDivergedException(_step + 1, e.What, _lastGood, _lastGoodStep);
            }
        }

        private double Elapsed() => _elapsedBefore + _clock.Elapsed.TotalSeconds;

        private TrainingProgress Progress(string evt, double loss) => new()
        {
            Step = _step,
            MaxSteps = _maxSteps,
            Elapsed = _clock.Elapsed,
            Budget = _options.MaxDuration,
            Loss = loss,
            StepsPerSecond = _sinceReport.Elapsed.TotalSeconds > 0 ? (_step - _stepsAtReport) / _sinceReport.Elapsed.TotalSeconds : 0,
            LearningRate = step.LearningRate,
            LastValidation = _lastValidation,
            Event = evt,
        };

        private void SaveCheckpoint()
        {
            if (_options.CheckpointPath is not { } path) return;
            // Never replace a good checkpoint by a bad one: weights that went non-finite are not saved.
            if (step.NonFiniteWeights() is { } what) throw new TrainingDivergedException(_step, what, _lastGood, _lastGoodStep);
            step.SaveCheckpoint(path, new Checkpoint.State(_step, _options.Seed, _data.Seed, _step, Elapsed()), _options.CheckpointMetadata);
            _lastGood = path;
            _lastGoodStep = _step;
            _sinceCheckpoint.Restart();
            progress?.Report(Progress("checkpoint", _lastLoss));
        }

        private void Validate()
        {
            if (_options.Validate is null) return;
            var network = step.Network;
            network.eval();
            try
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                _lastValidation = _options.Validate(network);
            }
            finally
            {
                network.train();
            }
            _log.Add(new TrainingLog.Row(_step, Elapsed(), null, step.LearningRate, _lastValidation.Psnr, _lastValidation.Ssim));
            progress?.Report(Progress("validate", _lastLoss));
        }
    }
}
