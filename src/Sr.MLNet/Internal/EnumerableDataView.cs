using Sr.Models;

namespace Sr.MLNet;

/// <summary>
/// <c>LoadFromEnumerable</c>: rows are objects, columns their properties. The sequence is enumerated once, when the first
/// cursor is made (so a view is repeatable and randomly accessible); images and arrays are copied into getter buffers,
/// never handed out.
/// </summary>
internal sealed class EnumerableDataView<TRow>(IEnumerable<TRow> data) : IndexedDataView where TRow : class
{
    private readonly IReadOnlyList<RowMapping> _mapping = RowMapping.Of(typeof(TRow));
    private IReadOnlyList<TRow>? _rows;
    private readonly Lock _lock = new();
    private DataViewSchema? _schema;

    public override DataViewSchema Schema => _schema ??= Build();

    private DataViewSchema Build()
    {
        var b = new DataViewSchema.Builder();
        foreach (var m in _mapping) b.AddColumn(m.ColumnName, m.Type);
        return b.ToSchema();
    }

    private IReadOnlyList<TRow> Rows
    {
        get
        {
            lock (_lock) return _rows ??= data as IReadOnlyList<TRow> ?? data.ToList();
        }
    }

    public override long? GetRowCount() => _rows?.Count ?? (data is IReadOnlyCollection<TRow> c ? c.Count : null);

    protected override long Count => Rows.Count;

    protected override Delegate MakeGetter(int column, Func<long> row) =>
        (Delegate)typeof(EnumerableDataView<TRow>).GetMethod(nameof(Getter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(Schema[column].Type.RawType).Invoke(this, [_mapping[column], row])!;

    private ValueGetter<T> Getter<T>(RowMapping m, Func<long> row) => (ref T value) =>
    {
        var v = m.Read(Rows[(int)row()]!);
        if (v is null && typeof(T) == typeof(SrImage)) throw new InvalidOperationException($"Row {row()} has no image in column '{m.ColumnName}'.");
        Values.CopyInto((T)v!, ref value);
    };
}
