using System.Collections.Immutable;

namespace Sr.MLNet;

/// <summary>
/// Tensor columns with a shape (ML.NET's <c>VectorDataViewType</c>): raw type <see cref="VBuffer{T}"/> of the item type,
/// row-major over <see cref="Dimensions"/>; a dimension of 0 means "varies by row".
/// </summary>
public sealed class VectorDataViewType : DataViewType
{
    public VectorDataViewType(PrimitiveDataViewType itemType, params int[] dimensions)
        : base(typeof(VBuffer<>).MakeGenericType(itemType.RawType))
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (itemType is not NumberDataViewType) throw new ArgumentException($"Vector items must be numbers, got {itemType}.", nameof(itemType));
        if (dimensions.Any(d => d < 0)) throw new ArgumentOutOfRangeException(nameof(dimensions), "Dimensions must be non-negative.");
        ItemType = itemType;
        Dimensions = dimensions.Length == 0 ? [0] : [.. dimensions];
    }

    public PrimitiveDataViewType ItemType { get; }

    public ImmutableArray<int> Dimensions { get; }

    /// <summary>The product of the dimensions, or 0 when any is unknown.</summary>
    public int Size => Dimensions.Any(d => d == 0) ? 0 : Dimensions.Aggregate(1, (a, b) => checked(a * b));

    public bool IsKnownSize => Size > 0;

    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType v && v.ItemType.Equals(ItemType) && v.Dimensions.SequenceEqual(Dimensions);

    public override int GetHashCode() => HashCode.Combine(ItemType, Dimensions.Length, Size);

    public override string ToString() => $"Vector<{ItemType}{(IsKnownSize ? ", " + string.Join(", ", Dimensions) : "")}>";
}
