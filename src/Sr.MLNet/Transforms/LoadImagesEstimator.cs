namespace Sr.MLNet;

/// <summary>
/// Estimator of <see cref="LoadImagesTransformer"/> (nothing to learn).
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column data type | String (a path) |
/// | Output column data type | Image (RGB) |
/// </remarks>
/// </summary>
public sealed class LoadImagesEstimator : TrivialEstimator<LoadImagesTransformer>
{
    public LoadImagesEstimator(string? imageFolder, params (string outputColumnName, string inputColumnName)[] columns)
        : base(new LoadImagesTransformer(imageFolder, columns)) { }
}
