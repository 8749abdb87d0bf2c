using Sr.Models.Evaluation;
using Sr.Models.Inference;
using Sr.Models.Registry;
using Sr.Models.Training;

namespace Sr.Models.Upscaling;

/// <summary>
/// Turns a --model argument into a method: "default" (the shipped model), a model file (.srm; other extensions
/// through <see cref="RegisterFileLoader"/>, e.g. the pipeline's .zip), or a built-in method name ("bicubic").
/// A bare registry name is refused with advice: an untrained network upscales nothing useful.
/// </summary>
public static class ModelLoader
{
    private static readonly Dictionary<string, Func<string, int, InferenceOptions?, ISuperResolver>> FileLoaders = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lets another layer load its own model files by extension (".zip" for Sr.MLNet pipelines).</summary>
    public static void RegisterFileLoader(string extension, Func<string, int, InferenceOptions?, ISuperResolver> loader)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(extension);
        ArgumentNullException.ThrowIfNull(loader);
        lock (FileLoaders) FileLoaders[extension.StartsWith('.') ? extension : "." + extension] = loader;
    }

    public static ISuperResolver Load(string spec, int scale, InferenceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (string.Equals(spec, DefaultModel.Name, StringComparison.OrdinalIgnoreCase)) return DefaultModel.Load(scale, options);
        if (File.Exists(spec))
        {
            var ext = Path.GetExtension(spec);
            if (string.Equals(ext, ModelFile.Extension, StringComparison.OrdinalIgnoreCase)) return LoadFile(spec, scale, options);
            Func<string, int, InferenceOptions?, ISuperResolver>? loader;
            lock (FileLoaders) FileLoaders.TryGetValue(ext, out loader);
            if (loader != null) return loader(spec, scale, options);
            throw new ArgumentException($"{spec}: not a model file SrMlNet knows (expected {ModelFile.Extension}{string.Concat(FileLoaders.Keys.Select(k => " or " + k))}).");
        }
        if (ModelRegistry.TryGet(spec, out var info))
            throw new ArgumentException($"'{info.Name}' names a network architecture, not trained weights: train one with " +
                $"`sr train --model {info.Name} --scale {scale} --data <folder> -o {info.Name}-x{scale}{ModelFile.Extension}` and pass that file to --model.");
        if (LooksLikePath(spec)) throw new FileNotFoundException($"{spec}: model file not found.", spec);
        return SuperResolvers.Resolve(spec, scale);
    }

    /// <summary>A trained network from an .srm file, checked against the requested scale.</summary>
    public static NetworkSuperResolver LoadFile(string path, int scale, InferenceOptions? options = null, string? displayName = null)
    {
        using var file = ModelFile.Read(path);
        if (file.Scale != scale)
            throw new ArgumentException($"{path}: holds a ×{file.Scale} model, but ×{scale} was asked for.");
        if (!ModelRegistry.TryGet(file.ModelName, out var info))
            throw new ArgumentException($"{path}: holds a '{file.ModelName}' network, which this SrMlNet does not know.");
        var network = file.CreateNetwork(info);
        return new NetworkSuperResolver(network, displayName ?? Path.GetFileNameWithoutExtension(path), options, ownsNetwork: true);
    }

    /// <summary>For <see cref="SuperResolvers.Register"/>: resolves "default" and model files, null for anything else.</summary>
    public static ISuperResolver? TryResolve(string spec, int scale)
    {
        if (string.Equals(spec, DefaultModel.Name, StringComparison.OrdinalIgnoreCase) || File.Exists(spec)) return Load(spec, scale);
        return null;
    }

    private static bool LooksLikePath(string spec) =>
        spec.Contains('/') || spec.Contains('\\') || Path.HasExtension(spec);
}
