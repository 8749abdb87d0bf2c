namespace Sr.MLNet;

/// <summary>Names the column a property maps to in <c>LoadFromEnumerable</c>/<c>CreateEnumerable</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ColumnNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
