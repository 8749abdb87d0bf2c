namespace Sr.MLNet;

/// <summary>
/// The type of a data-view column (ML.NET's <c>DataViewType</c>): the .NET type its getters produce (<see cref="RawType"/>)
/// plus whatever describes values of that type (vector dimensions, image size). Unlike ML.NET the constructor is
/// protected, so third parties can define their own column types.
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    protected DataViewType(Type rawType)
    {
        ArgumentNullException.ThrowIfNull(rawType);
        RawType = rawType;
    }

    /// <summary>The type <see cref="ValueGetter{TValue}"/> fills for columns of this type.</summary>
    public Type RawType { get; }

    public abstract bool Equals(DataViewType? other);

    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    public override int GetHashCode() => RawType.GetHashCode();
}
