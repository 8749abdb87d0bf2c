namespace Sr.MLNet;

/// <summary>Keeps a property out of the schema made from a row type.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class NoColumnAttribute : Attribute { }
