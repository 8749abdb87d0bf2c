using Sr.Models;
using Sr.Models.Inference;
using Sr.Models.Upscaling;

namespace Sr.MLNet;

/// <summary>
/// Pipeline model zips for the command line: <see cref="Register"/> teaches <see cref="ModelLoader"/> the ".zip"
/// extension, so <c>sr eval --model model.zip</c> and <c>sr upscale --model model.zip</c> run the zip's trained network
/// through the same <see cref="ISuperResolver"/> path as the pipeline's evaluator.
/// </summary>
public static class SrModelZip
{
    public const string Extension = ".zip";

    /// <summary>Registers the ".zip" loader (idempotent).</summary>
    public static void Register() => ModelLoader.RegisterFileLoader(Extension, Load);

    /// <summary>
    /// The zip's SuperResolve network as a resolver for ×<paramref name="scale"/>; <paramref name="options"/> (tiles,
    /// self-ensemble) replace the zip's tile size when given. Dispose the result to free the network.
    /// </summary>
    public static ISuperResolver Load(string path, int scale, InferenceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var transformer = new SrContext().Model.LoadSuperResolver(path);
        if (transformer.Scale != scale)
        {
            transformer.Dispose();
            throw new ArgumentException($"{path}: holds a ×{transformer.Scale} model, but ×{scale} was asked for.");
        }
        if (options is null) return transformer;
        // The transformer's resolver owns the network; hand it to a resolver with the caller's options instead.
        return new NetworkSuperResolver(transformer.Network, transformer.ModelName, options, ownsNetwork: true);
    }
}
