using Sr.Models;

namespace Sr.MLNet;

/// <summary>Model-zip access for tools that only need the network: what <c>sr eval --model model.zip</c> uses.</summary>
public static class ModelOperationsCatalogExtensions
{
    /// <summary>
    /// Loads a model zip and returns its (last) <see cref="SuperResolutionTransformer"/> as an <see cref="ISuperResolver"/>;
    /// dispose it to free the network. Throws <see cref="ModelFormatException"/> when the zip holds no SuperResolve step.
    /// </summary>
    public static SuperResolutionTransformer LoadSuperResolver(this ModelOperationsCatalog catalog, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var model = catalog.Load(filePath, out _);
        var all = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        var sr = all.OfType<SuperResolutionTransformer>().LastOrDefault();
        foreach (var t in all) if (!ReferenceEquals(t, sr)) (t as IDisposable)?.Dispose();
        return sr ?? throw new ModelFormatException(filePath, "holds no SuperResolve transformer (a pipeline without a trained network)");
    }
}
