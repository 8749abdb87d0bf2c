namespace Sr.MLNet;

/// <summary>Numeric scalar columns (ML.NET's <c>NumberDataViewType</c>); use the singletons.</summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private NumberDataViewType(Type rawType) : base(rawType) { }

    public static NumberDataViewType Single { get; } = new(typeof(float));
    public static NumberDataViewType Double { get; } = new(typeof(double));
    public static NumberDataViewType Int32 { get; } = new(typeof(int));
    public static NumberDataViewType Int64 { get; } = new(typeof(long));

    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RawType.GetHashCode();

    public override string ToString() => RawType.Name;
}
