namespace Sr.MLNet;

/// <summary>
/// A randomly accessible view of known length: each column is read by row index on demand. The base of
/// in-memory sources, file listings and caches; shuffling is a permutation of the indices.
/// </summary>
internal abstract class IndexedDataView : IDataView
{
    public abstract DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    /// <summary>The number of rows; may do the work of listing the source (called when a cursor is made).</summary>
    protected abstract long Count { get; }

    public virtual long? GetRowCount() => Count;

    /// <summary>Called when a cursor is made, with its active columns (before <see cref="Count"/>).</summary>
    protected virtual void Prepare(IReadOnlyCollection<int> columns) { }

    /// <summary>A getter of column <paramref name="column"/> reading row <c>row()</c>.</summary>
    protected abstract Delegate MakeGetter(int column, Func<long> row);

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = columnsNeeded.Select(c => c.Index).ToHashSet();
        Prepare(active);
        long n = Count;
        long[]? order = null;
        if (rand is not null)
        {
            order = new long[n];
            for (long i = 0; i < n; i++) order[i] = i;
            rand.Shuffle(order);
        }
        return new Cursor(this, active, n, order);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(IndexedDataView view, HashSet<int> active, long count, long[]? order) : DataViewRowCursor
    {
        private readonly Delegate?[] _getters = new Delegate?[view.Schema.Count];
        private long _position = -1;

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => view.Schema;

        private long Row => _position < 0 ? throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.") : order?[_position] ?? _position;

        public override bool MoveNext()
        {
            if (_position + 1 < count)
            {
                _position++;
                return true;
            }
            _position = -1;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column)) throw Values.Inactive(column);
            Values.CheckGetterType<TValue>(Schema[column.Index]);
            return (ValueGetter<TValue>)(_getters[column.Index] ??= view.MakeGetter(column.Index, () => Row));
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)Row, 0);
    }
}
