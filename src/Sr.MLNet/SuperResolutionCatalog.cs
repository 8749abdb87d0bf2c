namespace Sr.MLNet;

/// <summary><c>sr.SuperResolution</c>: evaluation of SR outputs against references (ML.NET's task catalogs, e.g. <c>mlContext.Regression</c>).</summary>
public sealed partial class SuperResolutionCatalog
{
    internal SuperResolutionCatalog(SrContext environment) => Environment = environment;

    public SrContext Environment { get; }
}
