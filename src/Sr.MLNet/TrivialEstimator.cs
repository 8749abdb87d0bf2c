namespace Sr.MLNet;

/// <summary>
/// An estimator that learns nothing: it holds its transformer and <see cref="Fit"/> only checks the schema
/// (ML.NET's <c>TrivialEstimator&lt;T&gt;</c>, whose constructor is not open to outsiders; this one is).
/// </summary>
public abstract class TrivialEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : class, ITransformer
{
    protected TrivialEstimator(TTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        Transformer = transformer;
    }

    protected TTransformer Transformer { get; }

    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <summary>By default, the transformer's own runtime check applied to the shape (one schema logic, not two).</summary>
    public virtual SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return SchemaShape.Create(Transformer.GetOutputSchema(inputSchema.ToSchema()));
    }
}
