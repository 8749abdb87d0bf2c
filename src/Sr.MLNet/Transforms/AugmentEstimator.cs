namespace Sr.MLNet;

/// <summary>
/// Estimator of <see cref="AugmentTransformer"/>; training-only by default (<see cref="IScopedEstimator"/>).
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column data type | Image |
/// | Output column data type | Image |
/// </remarks>
/// </summary>
public sealed class AugmentEstimator : TrivialEstimator<AugmentTransformer>, IScopedEstimator
{
    public AugmentEstimator(int seed, bool flips, bool rotations, params (string outputColumnName, string inputColumnName)[] columns)
        : base(new AugmentTransformer(seed, flips, rotations, columns)) { }

    public TransformerScope DefaultScope => TransformerScope.Training;
}
