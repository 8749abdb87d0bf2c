using System.Text.Json.Nodes;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Networks.Spsr;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>The training-engine run shared by the pipeline's training estimators (SuperResolve, Reduce).</summary>
internal static class EngineTraining
{
    /// <summary>
    /// Trains a fresh <paramref name="info"/> network on patches of <paramref name="hrImages"/> (LR from
    /// <paramref name="lrSource"/>) and returns it (the caller owns it; it is disposed here when training fails).
    /// The HR patch is the recipe's, capped by the smallest image side and rounded down to a multiple of the scale.
    /// </summary>
    public static SrNetwork Train(ModelInfo info, int scale, TrainingRecipe recipe, int seed, IReadOnlyList<Tensor> hrImages, int minSide,
        IDegradation lrSource, int? hrPatchSize, int? batchSize, JsonObject? networkOptions, long? maxSteps, TimeSpan? maxDuration,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, ITrainingObjective? objective = null,
        Action<SrNetwork>? checkNetwork = null, SpsrOptions? spsr = null, string? initialWeights = null, IReadOnlyList<Tensor>? boundaries = null)
    {
        int hrPatch = hrPatchSize ?? Math.Min(recipe.HrPatchSize, minSide);
        hrPatch -= hrPatch % scale;
        var sampler = PatchSampler.FromImages(hrImages, scale, lrSource, new PatchSamplerOptions
        {
            HrPatchSize = hrPatch,
            BatchSize = batchSize ?? recipe.BatchSize,
            Augment = recipe.Augment,
            Seed = seed,
        }, boundaries);
        torch.manual_seed((ulong)seed);
        var network = ModelRegistry.Create(info.Name, scale, networkOptions);
        try
        {
            checkNetwork?.Invoke(network);
            if (initialWeights is not null)
            {
                using var initial = ModelFile.Read(initialWeights);
                initial.InitializeWeights(network, info, scale, partialFrom: spsr is null ? null : "rrdbnet");
            }
            var options = new TrainingOptions { Recipe = recipe, MaxSteps = maxSteps, MaxDuration = maxDuration, Seed = seed };
            if (spsr is not null)
            {
                // SPSR's generator trains adversarially: its own loop (discriminators, fusion-only phase), not the pixel-loss engine.
                using var gan = SpsrGanTrainer.Create(spsr with { BatchSize = batchSize ?? spsr.BatchSize, HrPatchSize = hrPatch }, (SpsrNet)network);
                SpsrTrainingRun.Run(gan, sampler, options, progress, cancellationToken);
            }
            else
            {
                new Trainer(network, sampler, options, objective).Run(progress, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
