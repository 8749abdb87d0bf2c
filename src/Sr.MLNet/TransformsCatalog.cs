namespace Sr.MLNet;

/// <summary>
/// <c>sr.Transforms</c>: an empty shell that estimators hang off as extension methods (ML.NET's <c>TransformsCatalog</c>).
/// Unlike ML.NET, <see cref="Environment"/> is public, so third-party extension methods can reach the context.
/// </summary>
public sealed class TransformsCatalog
{
    internal TransformsCatalog(SrContext environment) => Environment = environment;

    public SrContext Environment { get; }
}
