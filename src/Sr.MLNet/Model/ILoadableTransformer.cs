namespace Sr.MLNet;

/// <summary>
/// A transformer that can be read back from a model zip: the loader signature it writes, and a factory.
/// Register it with <see cref="ComponentCatalog.Register{T}"/> (or <see cref="ComponentCatalog.RegisterAssembly"/>).
/// </summary>
public interface ILoadableTransformer<TSelf> where TSelf : ITransformer
{
    /// <summary>The ≤24-character name written in <c>Model.key</c>; equal to <see cref="VersionInfo.LoaderSignature"/>.</summary>
    static abstract string LoaderSignature { get; }

    static abstract TSelf Create(ModelLoadContext ctx);
}
