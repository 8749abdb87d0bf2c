namespace Sr.MLNet;

/// <summary>Rows of a source kept by position (take, skip, train/test split), lazily.</summary>
internal sealed class FilterDataView(IDataView source, Func<long, bool> keep, Func<long, bool> stop, Func<long?, long?> count) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => count(source.GetRowCount());

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new DelegatingCursor(source.GetRowCursor(columnsNeeded), keep, stop);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
