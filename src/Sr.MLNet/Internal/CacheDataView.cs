namespace Sr.MLNet;

/// <summary>
/// A caching checkpoint: the first cursor reads every column of every row of the source once (cloning images), later
/// cursors read memory. Nothing is read before the first cursor is made. Randomly accessible, so it can be shuffled.
/// Owns the cached images: dispose it when done.
/// </summary>
internal sealed class CacheDataView(IDataView source) : IndexedDataView, IDisposable
{
    private List<object?[]>? _rows;
    private readonly Lock _lock = new();

    public override DataViewSchema Schema => source.Schema;

    public override long? GetRowCount() => _rows?.Count ?? source.GetRowCount();

    protected override long Count => Rows.Count;

    private List<object?[]> Rows
    {
        get
        {
            lock (_lock)
            {
                return _rows ??= Fill();
            }
        }
    }

    private List<object?[]> Fill()
    {
        var rows = new List<object?[]>();
        using var cursor = source.GetRowCursor(source.Schema);
        var readers = source.Schema.Select(c => MakeReader(cursor, c)).ToArray();
        while (cursor.MoveNext()) rows.Add(readers.Select(r => r()).ToArray());
        return rows;
    }

    private static Func<object?> MakeReader(DataViewRowCursor cursor, DataViewSchema.Column column) =>
        (Func<object?>)typeof(CacheDataView).GetMethod(nameof(Reader), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType).Invoke(null, [cursor, column])!;

    private static Func<object?> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return value; // a fresh buffer each row: the cache owns it
        };
    }

    protected override Delegate MakeGetter(int column, Func<long> row) =>
        (Delegate)typeof(CacheDataView).GetMethod(nameof(Getter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(Schema[column].Type.RawType).Invoke(this, [column, row])!;

    private ValueGetter<T> Getter<T>(int column, Func<long> row) =>
        (ref T value) => Values.CopyInto((T)Rows[(int)row()][column]!, ref value);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_rows is null) return;
            foreach (var r in _rows) foreach (var v in r) Values.DisposeValue(v);
            _rows = null;
        }
    }
}
