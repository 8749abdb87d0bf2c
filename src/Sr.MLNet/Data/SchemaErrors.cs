namespace Sr.MLNet;

/// <summary>
/// The schema errors of ML.NET, with its wording, for SrMlNet's and third parties' estimators alike
/// (ML.NET keeps its <c>ExceptSchemaMismatch</c> internal).
/// </summary>
public static class SchemaErrors
{
    /// <summary>"Schema mismatch for input column 'LR': expected Image, got String".</summary>
    public static ArgumentOutOfRangeException Mismatch(string columnName, string expectedType, string actualType) =>
        new("inputSchema", $"Schema mismatch for input column '{columnName}': expected {expectedType}, got {actualType}");

    /// <summary>"Could not find input column 'LR'".</summary>
    public static ArgumentOutOfRangeException MissingInput(string columnName) =>
        new("inputSchema", $"Could not find input column '{columnName}'");

    /// <summary>Finds an input column in a runtime schema and checks its type (the runtime twin of <see cref="SchemaShape.FindInput"/>).</summary>
    public static DataViewSchema.Column FindInput(DataViewSchema schema, string name, string expected, Func<DataViewSchema.Column, bool> accepts)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(accepts);
        var c = schema.GetColumnOrNull(name) ?? throw MissingInput(name);
        if (!accepts(c)) throw Mismatch(name, expected, SchemaShape.Column.From(c).GetTypeString());
        return c;
    }

    /// <summary>Finds an image column in a runtime schema.</summary>
    public static DataViewSchema.Column FindImage(DataViewSchema schema, string name) =>
        FindInput(schema, name, "Image", c => c.Type is ImageDataViewType);
}
