namespace Sr.MLNet;

/// <summary>
/// A caching checkpoint, filled column by column on demand: a cursor asking for columns not cached yet makes one pass
/// over the source reading just those (cloning images); later cursors read memory. Nothing is read before a cursor is
/// made, and columns nobody reads (the full-size image behind each patch row) are never cached. Randomly accessible, so
/// it can be shuffled. Owns the cached images: dispose it when done.
/// </summary>
internal sealed class CacheDataView(IDataView source) : IndexedDataView, IDisposable
{
    private readonly object?[]?[] _columns = new object?[]?[source.Schema.Count];
    private long _count = -1;
    private readonly Lock _lock = new();

    public override DataViewSchema Schema => source.Schema;

    public override long? GetRowCount() => _count >= 0 ? _count : source.GetRowCount();

    protected override long Count
    {
        get
        {
            lock (_lock)
            {
                if (_count < 0) Fill([]);
                return _count;
            }
        }
    }

    protected override void Prepare(IReadOnlyCollection<int> columns)
    {
        lock (_lock)
        {
            var missing = columns.Where(c => _columns[c] is null).ToList();
            if (missing.Count > 0 || _count < 0) Fill(missing);
        }
    }

    private void Fill(List<int> columns)
    {
        using var cursor = source.GetRowCursor(columns.Select(c => source.Schema[c]));
        var readers = columns.Select(c => MakeReader(cursor, source.Schema[c])).ToArray();
        var values = columns.Select(_ => new List<object?>()).ToArray();
        long n = 0;
        while (cursor.MoveNext())
        {
            for (int i = 0; i < readers.Length; i++) values[i].Add(readers[i]());
            n++;
        }
        if (_count >= 0 && n != _count) throw new InvalidOperationException($"The cached source changed its row count ({_count} then {n}); a data view must be repeatable.");
        _count = n;
        for (int i = 0; i < columns.Count; i++) _columns[columns[i]] = values[i].ToArray();
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

    private ValueGetter<T> Getter<T>(int column, Func<long> row)
    {
        var values = _columns[column] ?? throw new InvalidOperationException($"Column '{Schema[column].Name}' was not cached: pass it in columnsNeeded.");
        return (ref T value) => Values.CopyInto((T)values[row()]!, ref value);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            for (int c = 0; c < _columns.Length; c++)
            {
                foreach (var v in _columns[c] ?? []) Values.DisposeValue(v);
                _columns[c] = null;
            }
            _count = -1;
        }
    }
}
