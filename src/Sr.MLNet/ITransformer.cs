namespace Sr.MLNet;

/// <summary>
/// A fitted pipeline step (ML.NET's <c>ITransformer</c>): maps a data view to a data view, lazily, and saves itself into a
/// model zip. Transformers holding native state (networks) also implement <see cref="IDisposable"/>.
/// </summary>
public interface ITransformer : ICanSaveModel
{
    /// <summary>The schema <see cref="Transform"/> would produce; throws the schema errors of <see cref="SchemaErrors"/>.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>Returns a lazy view: nothing is computed until a cursor's getter asks for a value.</summary>
    IDataView Transform(IDataView input);

    /// <summary>True when each output row depends only on the same input row (false for patch extraction, which makes many rows of one).</summary>
    bool IsRowToRowMapper { get; }
}
