using Microsoft.ML.Data;

namespace Sr.MLNet;

/// <summary>The ML.NET column type of <see cref="SrImage"/> values (registered with <c>DataViewTypeManager</c> by SrMlNet).</summary>
public sealed class SrImageDataViewType : StructuredDataViewType
{
    public SrImageDataViewType() : base(typeof(SrImage))
    {
    }

    /// <summary>The one instance SrMlNet registers.</summary>
    public static SrImageDataViewType Instance { get; } = new();

    public override bool Equals(DataViewType? other) => other is SrImageDataViewType;

    public override bool Equals(object? other) => other is SrImageDataViewType;

    public override int GetHashCode() => typeof(SrImage).GetHashCode();

    public override string ToString() => "SrImage";
}
