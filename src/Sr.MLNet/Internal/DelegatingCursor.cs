namespace Sr.MLNet;

/// <summary>A cursor that passes another cursor's rows through, keeping only those <c>keep(sourcePosition)</c> accepts, renumbered from 0 (take, skip, split).</summary>
internal sealed class DelegatingCursor(DataViewRowCursor source, Func<long, bool> keep, Func<long, bool> stop) : DataViewRowCursor
{
    private long _position = -1;

    public override long Position => _position;
    public override long Batch => 0;
    public override DataViewSchema Schema => source.Schema;

    public override bool MoveNext()
    {
        while (source.MoveNext())
        {
            if (stop(source.Position)) break;
            if (!keep(source.Position)) continue;
            _position++;
            return true;
        }
        _position = -1;
        return false;
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => source.GetGetter<TValue>(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

    protected override void Dispose(bool disposing)
    {
        if (disposing) source.Dispose();
    }
}
