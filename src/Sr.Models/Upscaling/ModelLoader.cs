using Sr.Models.Evaluation;
using Sr.Models.Inference;
using Sr.Models.Onnx;
using Sr.Models.Registry;
using Sr.Models.Training;

namespace Sr.Models.Upscaling;

/// <summary>
/// Turns a --model argument into a method: "default" (the shipped model), a model file (.srm, .onnx exported by SrMlNet, or
/// an ML.NET model zip with SrMlNet's SuperResolve: <see cref="MlNetModelZip"/>), or a built-in method name ("bicubic"). A bare registry name is refused with advice: an untrained network upscales nothing useful.
/// </summary>
/// <remarks>
/// <see cref="InferenceOptions.Backend"/> = Onnx runs "default" and .srm models in ONNX Runtime (exported in memory); an
/// .onnx file always runs in ONNX Runtime, whatever the backend option says.
/// </remarks>
public static class ModelLoader
{
    /// <summary>The extension of ONNX model files.</summary>
    public const string OnnxExtension = ".onnx";

    /// <summary>
    /// Describes a model file (.srm, SrMlNet's .onnx, or an ML.NET .zip) without building its network:
    /// name, scale, colour space, options, training facts and SHA-256. A file of another kind throws, naming it.
    /// </summary>
    public static ModelFileInfo Inspect(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file not found.", path);
        var ext = Path.GetExtension(path);
        if (string.Equals(ext, ModelFile.Extension, StringComparison.OrdinalIgnoreCase))
        {
            using var file = ModelFile.Read(path);
            return new ModelFileInfo(path, "srm", file.ModelName, file.Scale, file.ColorSpace, file.Options, file.Info, ModelFileInfo.HashFile(path));
        }
        if (string.Equals(ext, OnnxExtension, StringComparison.OrdinalIgnoreCase))
        {
            var onnx = OnnxModelInfo.Read(path);
            return new ModelFileInfo(path, "onnx", onnx.ModelName, onnx.Scale, onnx.ColorSpace, onnx.Options, new Dictionary<string, string>(), ModelFileInfo.HashFile(path));
        }
        if (string.Equals(ext, MlNetModelZip.Extension, StringComparison.OrdinalIgnoreCase)) return MlNetModelZip.Inspect(path);
        throw new ArgumentException($"{path}: {UnknownKind}");
    }

    /// <summary>
    /// The scale a --model argument is bound to: a model file's own scale (it was trained for one), or null for "default",
    /// built-in methods and anything that is not a file (they serve every scale). Lets commands make --scale optional.
    /// </summary>
    public static int? ScaleOf(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (string.Equals(spec, DefaultModel.Name, StringComparison.OrdinalIgnoreCase) || !File.Exists(spec)) return null;
        var ext = Path.GetExtension(spec);
        bool known = new[] { ModelFile.Extension, OnnxExtension, MlNetModelZip.Extension }.Any(e => string.Equals(ext, e, StringComparison.OrdinalIgnoreCase));
        return known ? Inspect(spec).Scale : null;
    }

    private static string UnknownKind => $"not a model file SrMlNet knows (expected {ModelFile.Extension}, {OnnxExtension} or {MlNetModelZip.Extension}).";

    public static ISuperResolver Load(string spec, int scale, InferenceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        bool onnx = options?.Backend == InferenceBackend.Onnx;
        if (string.Equals(spec, DefaultModel.Name, StringComparison.OrdinalIgnoreCase))
            return onnx ? ToOnnx(DefaultModel.Load(scale, options), options) : DefaultModel.Load(scale, options);
        if (File.Exists(spec))
        {
            var ext = Path.GetExtension(spec);
            if (string.Equals(ext, ModelFile.Extension, StringComparison.OrdinalIgnoreCase))
                return onnx ? ToOnnx(LoadFile(spec, scale, options), options) : LoadFile(spec, scale, options);
            if (string.Equals(ext, OnnxExtension, StringComparison.OrdinalIgnoreCase)) return LoadOnnx(spec, scale, options);
            if (string.Equals(ext, MlNetModelZip.Extension, StringComparison.OrdinalIgnoreCase)) return MlNetModelZip.Load(spec, scale, options);
            throw new ArgumentException($"{spec}: {UnknownKind}");
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
            throw new ArgumentException($"{path}: holds a ×{file.Scale} model, but ×{scale} was asked for (leave --scale out to use the file's ×{file.Scale}).");
        if (!ModelRegistry.TryGet(file.ModelName, out var info))
            throw new ArgumentException($"{path}: holds a '{file.ModelName}' network, which this SrMlNet does not know.");
        var network = file.CreateNetwork(info);
        return new NetworkSuperResolver(network, displayName ?? Path.GetFileNameWithoutExtension(path), options, ownsNetwork: true);
    }

    /// <summary>
    /// An ONNX model exported by SrMlNet (Nchw layout), run in ONNX Runtime; the file is validated by
    /// <see cref="OnnxModelInfo"/> and its scale checked against <paramref name="scale"/>.
    /// </summary>
    public static OnnxSuperResolver LoadOnnx(string path, int scale, InferenceOptions? options = null, string? displayName = null)
    {
        var resolver = new OnnxSuperResolver(path, options, displayName ?? Path.GetFileNameWithoutExtension(path));
        if (resolver.Info.Scale != scale)
        {
            resolver.Dispose();
            throw new ArgumentException($"{path}: holds a ×{resolver.Info.Scale} model, but ×{scale} was asked for (leave --scale out to use the file's ×{resolver.Info.Scale}).");
        }
        return resolver;
    }

    /// <summary>The same network exported in memory and run by ONNX Runtime; the libtorch resolver is disposed.</summary>
    private static OnnxSuperResolver ToOnnx(NetworkSuperResolver libtorch, InferenceOptions? options)
    {
        using (libtorch) return OnnxSuperResolver.FromNetwork(libtorch.Network, options, libtorch.Name);
    }

    private static bool LooksLikePath(string spec) =>
        spec.Contains('/') || spec.Contains('\\') || Path.HasExtension(spec);
}
