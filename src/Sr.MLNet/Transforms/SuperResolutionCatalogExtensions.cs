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

    public static SuperResolutionEstimator SuperResolve(this TransformsCatalog catalog, SuperResolutionEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SuperResolutionEstimator(options) { Seed = catalog.Environment.EffectiveSeed };
    }
}
