namespace Sr.MLNet;

/// <summary>A row's stable identity within a data view (ML.NET's 128-bit <c>DataViewRowId</c>).</summary>
public readonly record struct DataViewRowId(ulong Low, ulong High)
{
    public override string ToString() => High == 0 ? Low.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{High:X16}{Low:X16}";
}
