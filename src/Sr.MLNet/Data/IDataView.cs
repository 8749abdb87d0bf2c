namespace Sr.MLNet;

/// <summary>
/// A lazily evaluated table (ML.NET's <c>IDataView</c>): a schema, and cursors that compute each value only when its
/// getter is called. Views are immutable and may be read by several cursors, one after another or at once.
/// </summary>
public interface IDataView
{
    /// <summary>True when <see cref="GetRowCursor"/> honours a <see cref="Random"/> (the rows are randomly accessible).</summary>
    bool CanShuffle { get; }

    DataViewSchema Schema { get; }

    /// <summary>The number of rows when known without reading the data (O(1)), else null.</summary>
    long? GetRowCount();

    /// <summary>A cursor whose active columns are <paramref name="columnsNeeded"/>; with <paramref name="rand"/> (and <see cref="CanShuffle"/>) rows come in a random order.</summary>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null);

    /// <summary>ML.NET's parallel cursor set; <paramref name="n"/> is a hint, and SrMlNet returns one cursor (the network inside is already multi-threaded).</summary>
    DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null);
}
