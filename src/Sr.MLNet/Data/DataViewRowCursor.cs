namespace Sr.MLNet;

/// <summary>A forward-only cursor over a data view's rows (ML.NET's <c>DataViewRowCursor</c>).</summary>
public abstract class DataViewRowCursor : DataViewRow
{
    /// <summary>Advances to the next row; false at the end. Nothing is computed here beyond what the move needs: values are computed by getters.</summary>
    public abstract bool MoveNext();
}
