namespace Sr.MLNet;

/// <summary>The dimensions of an array property's vector column (row-major).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class VectorTypeAttribute(params int[] dimensions) : Attribute
{
    public int[] Dimensions { get; } = dimensions;
}
