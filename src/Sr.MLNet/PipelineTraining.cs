using Microsoft.ML;
using Microsoft.ML.Runtime;
using Sr.Models;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// SuperResolve's training: the (LR, HR) rows of the data view become a <see cref="PatchSampler.FromPairs"/> sampler (the rows'
/// own LR, nothing degraded again), and the <see cref="TrainingSession"/> the CLI uses trains the registry network with the
/// paper's recipe, in the loop its registry entry names (<see cref="ModelInfo.Training"/>).
/// </summary>
internal static class PipelineTraining
{
    public static SrNetwork Train(IDataView input, SuperResolveOptions o, out TrainingResult? result)
    {
        var info = ModelRegistry.Get(o.Model);
        if (!info.Scales.Contains(o.Scale))
            throw new ArgumentOutOfRangeException(nameof(o), $"Model '{info.Name}' supports {string.Join(", ", info.Scales.Select(s => "×" + s))}, not ×{o.Scale}.");
        var recipe = o.Recipe ?? info.RecipeFor(o.Scale);
        var lr = new List<Tensor>();
        var hr = new List<Tensor>();
        var names = new List<string>();
        try
        {
            int minSide = int.MaxValue;
            var lrColumn = input.Schema[o.InputColumnName];
            var hrColumn = input.Schema[o.LabelColumnName];
            using (var cursor = input.GetRowCursor([lrColumn, hrColumn]))
            {
                var lrGetter = cursor.GetGetter<SrImage>(lrColumn);
                var hrGetter = cursor.GetGetter<SrImage>(hrColumn);
                SrImage lrImage = null!, hrImage = null!;
                while (cursor.MoveNext())
                {
                    o.CancellationToken.ThrowIfCancellationRequested();
                    lrGetter(ref lrImage);
                    hrGetter(ref hrImage);
                    string name = hrImage.Source ?? $"row {cursor.Position}";
                    if (hrImage.ColorSpace != info.ColorSpace || lrImage.ColorSpace != info.ColorSpace)
                        throw new InvalidOperationException($"{name}: model '{info.Name}' trains on {info.ColorSpace} images, got {lrImage.ColorSpace} LR / {hrImage.ColorSpace} HR.");
                    if (hrImage.Height != lrImage.Height * o.Scale || hrImage.Width != lrImage.Width * o.Scale)
                        throw new InvalidOperationException($"{name}: HR {hrImage.Width}×{hrImage.Height} is not ×{o.Scale} of LR {lrImage.Width}×{lrImage.Height}; ModCrop the HR and Degrade it by {o.Scale}.");
                    using (var l = lrImage.ToTensor()) lr.Add(l.squeeze(0).DetachFromDisposeScope());
                    using (var h = hrImage.ToTensor()) hr.Add(h.squeeze(0).DetachFromDisposeScope());
                    names.Add(name);
                    minSide = Math.Min(minSide, Math.Min(hrImage.Height, hrImage.Width));
                }
            }
            if (hr.Count == 0) throw new InvalidOperationException($"SuperResolve: the training data has no rows in '{o.LabelColumnName}'.");
            int hrPatch = o.HrPatchSize ?? Math.Min(recipe.HrPatchSize, minSide);
            hrPatch -= hrPatch % o.Scale;
            var spsr = info.Training == TrainingMethod.SpsrGan ? SpsrModels.TrainingOptions(info.Name, o.Scale, o.NetworkOptions, o.Spsr) : null;
            int batch = o.BatchSize ?? spsr?.BatchSize ?? recipe.BatchSize;
            using var session = new TrainingSession(info, o.Scale, o.NetworkOptions, o.Seed);
            if (o.InitialWeights is not null) session.InitializeFrom(o.InitialWeights);
            // SPSR's generator trains adversarially (discriminators, fusion-only phase): the session's step says how.
            session.PrepareStep(spsr is null ? null : spsr with { BatchSize = batch, HrPatchSize = hrPatch });
            var sampler = session.UsePairs(hr, lr, new PatchSamplerOptions { HrPatchSize = hrPatch, BatchSize = batch, Augment = recipe.Augment, Seed = o.Seed }, names);
            var options = new TrainingOptions { Recipe = recipe, MaxSteps = o.MaxSteps, MaxDuration = o.MaxDuration, Seed = o.Seed };
            using var channel = o.Log?.Start("SrMlNet.SuperResolve");
            channel?.Info(MessageSensitivity.None, $"training {info.Name} ×{o.Scale} ({session.Network.ParameterCount():N0} parameters) on {hr.Count} (LR, HR) rows: " +
                $"{recipe.Optimizer} lr {recipe.LearningRate:G3}, {recipe.Loss}, batch {sampler.BatchSize}, HR patch {sampler.HrPatchSize}, seed {o.Seed}");
            var progress = channel is null ? o.Progress : new LoggingProgress(channel, o.Progress);
            result = session.Run(options, progress, o.CancellationToken);
            o.CancellationToken.ThrowIfCancellationRequested();
            channel?.Info(MessageSensitivity.None, $"trained {result.Step} steps in {result.Elapsed.TotalMinutes:F1} min ({result.StopReason}), last loss {result.LastLoss:G4}");
            return session.DetachNetwork();
        }
        finally
        {
            foreach (var t in lr) t.Dispose();
            foreach (var t in hr) t.Dispose();
        }
    }

    /// <summary>Forwards training progress to the caller's callback and, per log interval, to an ML.NET channel (mlContext.Log).</summary>
    private sealed class LoggingProgress(IChannel channel, IProgress<TrainingProgress>? inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            inner?.Report(p);
            if (p.Event == "train")
                channel.Info(MessageSensitivity.None, $"step {p.Step}: loss {p.Loss:G4}, {p.StepsPerSecond:F1} steps/s, {p.Elapsed:hh\\:mm\\:ss}");
        }
    }
}
