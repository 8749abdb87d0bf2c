namespace Sr.MLNet;

/// <summary>
/// A row-to-row transformer over (output, input) column pairs: one output column per pair, computed from the input
/// column of the same pair (ML.NET's <c>OneToOneTransformerBase</c>, open to outsiders).
/// </summary>
public abstract class OneToOneTransformerBase : RowToRowTransformerBase
{
    protected OneToOneTransformerBase(params (string outputColumnName, string inputColumnName)[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("Give at least one column pair.", nameof(columns));
        foreach (var (o, i) in columns)
        {
            ArgumentException.ThrowIfNullOrEmpty(o, nameof(columns));
            ArgumentException.ThrowIfNullOrEmpty(i, nameof(columns));
        }
        ColumnPairs = columns;
    }

    public IReadOnlyList<(string outputColumnName, string inputColumnName)> ColumnPairs { get; }

    /// <summary>Checks pair <paramref name="pair"/>'s input column in <paramref name="inputSchema"/> and declares its output column.</summary>
    protected abstract DataViewSchema.DetachedColumn GetOutputColumn(int pair, DataViewSchema inputSchema);

    protected sealed override DataViewSchema.DetachedColumn[] GetOutputColumns(DataViewSchema inputSchema) =>
        Enumerable.Range(0, ColumnPairs.Count).Select(i => GetOutputColumn(i, inputSchema)).ToArray();

    protected sealed override IEnumerable<string> GetInputColumnNames() => ColumnPairs.Select(p => p.inputColumnName).Distinct();
}
