namespace Sr.MLNet;

/// <summary>
/// Text columns. ML.NET's raw type is <c>ReadOnlyMemory&lt;char&gt;</c>; SrMlNet's is <see cref="string"/> (text here is
/// file names and paths, never bulk data, and an adapter converts with one call).
/// </summary>
public sealed class TextDataViewType : PrimitiveDataViewType
{
    private TextDataViewType() : base(typeof(string)) { }

    public static TextDataViewType Instance { get; } = new();

    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RawType.GetHashCode();

    public override string ToString() => "String";
}
