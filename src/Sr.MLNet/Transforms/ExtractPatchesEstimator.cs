namespace Sr.MLNet;

/// <summary>
/// Estimator of <see cref="ExtractPatchesTransformer"/>; training-only by default (<see cref="IScopedEstimator"/>), so the
/// fitted model applied to a whole image does not cut it into patches.
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column data type | Image (LR), Image (HR = s × LR) |
/// | Output column data type | Image&lt;p, p&gt;, Image&lt;s·p, s·p&gt; (one row per patch pair) |
/// </remarks>
/// </summary>
public sealed class ExtractPatchesEstimator : IEstimator<ExtractPatchesTransformer>, IScopedEstimator
{
    private readonly ExtractPatchesTransformer _transformer;

    public ExtractPatchesEstimator(string lrPatchColumnName, string hrPatchColumnName, string lrColumnName, string hrColumnName, int patchSize, int stride, int scale) =>
        _transformer = new ExtractPatchesTransformer(lrPatchColumnName, hrPatchColumnName, lrColumnName, hrColumnName, patchSize, stride, scale);

    public TransformerScope DefaultScope => TransformerScope.Training;

    public ExtractPatchesTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return SchemaShape.Create(_transformer.GetOutputSchema(inputSchema.ToSchema()));
    }
}
