namespace Sr.MLNet;

/// <summary>Boolean scalar columns.</summary>
public sealed class BooleanDataViewType : PrimitiveDataViewType
{
    private BooleanDataViewType() : base(typeof(bool)) { }

    public static BooleanDataViewType Instance { get; } = new();

    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RawType.GetHashCode();

    public override string ToString() => "Boolean";
}
