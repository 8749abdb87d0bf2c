namespace Sr.MLNet;

/// <summary>
/// Estimator of <see cref="ModCropTransformer"/>.
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column data type | Image |
/// | Output column data type | Image (H, W multiples of the scale) |
/// </remarks>
/// </summary>
public sealed class ModCropEstimator : TrivialEstimator<ModCropTransformer>
{
    public ModCropEstimator(int scale, params (string outputColumnName, string inputColumnName)[] columns)
        : base(new ModCropTransformer(scale, columns)) { }
}
