using System.Text.Json.Nodes;
using Sr.Models.Spsr;

namespace Sr.MLNet;

public static partial class ImageEstimatorsCatalog
{
    /// <summary>Trains <paramref name="modelName"/> on (LR <paramref name="inputColumnName"/>, HR <paramref name="labelColumnName"/>) pairs; the fitted transformer upscales whole images.</summary>
    public static SuperResolutionEstimator SuperResolve(this TransformsCatalog catalog, string outputColumnName = SuperResolutionEstimator.Defaults.OutputColumnName,
        string inputColumnName = SuperResolutionEstimator.Defaults.InputColumnName, string labelColumnName = SuperResolutionEstimator.Defaults.LabelColumnName,
        string modelName = SuperResolutionEstimator.Defaults.ModelName, int scale = SuperResolutionEstimator.Defaults.Scale, long? maxSteps = null, TimeSpan? maxDuration = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.SuperResolve(new SuperResolutionEstimator.Options
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, LabelColumnName = labelColumnName,
            ModelName = modelName, Scale = scale, MaxSteps = maxSteps, MaxDuration = maxDuration,
        });
    }

    /// <summary>
    /// Trains SPSR's generator with its GAN (<paramref name="spsr"/>: variant, scale, size nf/nb/gc, losses, discriminators)
    /// on (LR, HR) pairs; <paramref name="initialWeights"/> may name a trained rrdbnet model file, as the paper starts from one.
    /// </summary>
    public static SuperResolutionEstimator SuperResolve(this TransformsCatalog catalog, SpsrOptions spsr, string outputColumnName = SuperResolutionEstimator.Defaults.OutputColumnName,
        string inputColumnName = SuperResolutionEstimator.Defaults.InputColumnName, string labelColumnName = SuperResolutionEstimator.Defaults.LabelColumnName,
        long? maxSteps = null, TimeSpan? maxDuration = null, string? initialWeights = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(spsr);
        spsr.Validate();
        return catalog.SuperResolve(new SuperResolutionEstimator.Options
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, LabelColumnName = labelColumnName,
            ModelName = "spsr-" + spsr.Variant.ToString().ToLowerInvariant(), Scale = spsr.Scale,
            NetworkOptions = new JsonObject { ["nf"] = spsr.Features, ["nb"] = spsr.Blocks, ["gc"] = spsr.Growth },
            BatchSize = spsr.BatchSize, MaxSteps = maxSteps, MaxDuration = maxDuration, Spsr = spsr, InitialWeights = initialWeights,
        });
    }

    public static SuperResolutionEstimator SuperResolve(this TransformsCatalog catalog, SuperResolutionEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SuperResolutionEstimator(options) { Seed = catalog.Environment.EffectiveSeed };
    }
}
