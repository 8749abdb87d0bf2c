namespace Sr.MLNet;

/// <summary>
/// One row of a data view, read column by column through typed getters (ML.NET's <c>DataViewRow</c>).
/// <see cref="Position"/> is −1 before the first move and after the last.
/// </summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>The row's index in the cursor's sequence; −1 before the first <c>MoveNext</c> and after it returns false.</summary>
    public abstract long Position { get; }

    /// <summary>Non-decreasing within one cursor; SrMlNet cursors are never split, so this is 0.</summary>
    public abstract long Batch { get; }

    public abstract DataViewSchema Schema { get; }

    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>
    /// A getter for <paramref name="column"/>. Throws <see cref="InvalidOperationException"/> when the column is not active
    /// and <see cref="InvalidOperationException"/> when <typeparamref name="TValue"/> is not the column's raw type.
    /// </summary>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    public abstract ValueGetter<DataViewRowId> GetIdGetter();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }
}
