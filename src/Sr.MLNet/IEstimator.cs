namespace Sr.MLNet;

/// <summary>An unfitted pipeline step (ML.NET's <c>IEstimator&lt;T&gt;</c>): <see cref="Fit"/> learns from data (or not) and returns a transformer.</summary>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    TTransformer Fit(IDataView input);

    /// <summary>Checks the input columns and describes the output, before any data flows.</summary>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
