using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using Sr.Torch.io;
using Sr.Torch.Serialization;

namespace Sr.Models.Training;

/// <summary>
/// The SrMlNet model file (<c>.srm</c>): a trained network's weights plus what is needed to rebuild it — registry name,
/// scale, options JSON, colour space — and free-form training facts, in the safetensors layout (weights as tensors,
/// the rest in the "__metadata__" string map), so any safetensors reader can open the weights too.
/// Written to a temporary sibling and renamed (Sr.Torch's safetensors writer).
/// </summary>
public sealed class ModelFile : IDisposable
{
    public const string Extension = ".srm";
    public const string Format = "SrMlNet model file";
    public const int FormatVersion = 1;

    private ModelFile(string source, string modelName, int scale, ColorSpace colorSpace, JsonObject? options, Dictionary<string, Tensor> weights, Dictionary<string, string> info)
    {
        Source = source;
        ModelName = modelName;
        Scale = scale;
        ColorSpace = colorSpace;
        Options = options;
        Weights = weights;
        Info = info;
    }

    /// <summary>The file it was read from.</summary>
    public string Source { get; }

    /// <summary>The registry name of the network ("rsrnet-sr", "btsrn", …).</summary>
    public string ModelName { get; }

    public int Scale { get; }
    public ColorSpace ColorSpace { get; }

    /// <summary>The options the network was created with (null = the registry's defaults).</summary>
    public JsonObject? Options { get; }

    /// <summary>The state dict by dotted name.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights { get; }

    /// <summary>Training facts (steps, seed, data, validation PSNR, command line …) as stored, without the format keys.</summary>
    public IReadOnlyDictionary<string, string> Info { get; }

    /// <summary>Writes <paramref name="network"/>'s state dict and how to rebuild it.</summary>
    public static void Save(string path, SrNetwork network, string modelName, JsonObject? options = null, IReadOnlyDictionary<string, string>? info = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var meta = new Dictionary<string, string>();
        if (info != null) foreach (var (k, v) in info) meta["info." + k] = v;
        meta["format"] = Format;
        meta["format_version"] = FormatVersion.ToString(CultureInfo.InvariantCulture);
        meta["model"] = modelName;
        meta["scale"] = network.Scale.ToString(CultureInfo.InvariantCulture);
        meta["color_space"] = network.ColorSpace.ToString();
        meta["options"] = EffectiveOptions(network, options)?.ToJsonString() ?? "{}";
        var weights = network.state_dict();
        meta[DigestKey] = Digest(weights, meta);
        Safetensors.SaveStateDict(path, weights, meta);
    }

    /// <summary>
    /// Every option the network was built with, when it exposes its options record (a public <c>Options</c> property), so that a
    /// later change of a default does not change what a saved file rebuilds; else the options as given.
    /// </summary>
    internal static JsonObject? EffectiveOptions(SrNetwork network, JsonObject? given)
    {
        var property = network.GetType().GetProperty("Options");
        if (property?.GetValue(network) is not { } record) return given;
        return JsonSerializer.SerializeToNode(record, record.GetType()) as JsonObject ?? given;
    }

    /// <summary>The metadata key of the file's SHA-256 (<see cref="Digest"/>); files written before it existed lack it and are not checked.</summary>
    public const string DigestKey = "sha256";

    /// <summary>The metadata that decides what network a file rebuilds: covered by the digest with the weights.</summary>
    private static readonly string[] DigestedKeys = ["model", "scale", "color_space", "options"];

    /// <summary>
    /// SHA-256 over what rebuilds the network — the model name, scale, colour space and options as stored — and every
    /// tensor's name, dtype, shape and bytes by name (independent of the file's layout). <see cref="Read"/> checks it, so
    /// that a flipped bit in a weight (which stays finite and loads) or an edited scale is caught. Training facts
    /// (<see cref="Info"/>) are not covered: they describe the run and change nothing the network computes.
    /// </summary>
    public static string Digest(IReadOnlyDictionary<string, Tensor> weights, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(metadata);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var key in DigestedKeys)
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{key}\0{(metadata.TryGetValue(key, out var v) ? v : "")}\0"));
        foreach (var (name, t) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{name}\0{t.dtype}\0{string.Join(",", t.shape)}\0"));
            using var cpu = t.detach();
            if (cpu.dtype == ScalarType.Float32) sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().AsSpan()));
            else
            {
                using var wide = cpu.to(ScalarType.Float64);
                sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(wide.data<double>().AsSpan()));
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Reads a model file. Everything the header declares is checked before any tensor is read or any network is built —
    /// the options (ranges, and the parameter bytes they imply against <see cref="ModelLimits.MaxParameterBytes"/> and
    /// against the stored tensors' shapes) and every tensor's dtype (float32) — then every weight must be finite and,
    /// when the file carries one, match its digest. A truncated, foreign or hostile file throws
    /// <see cref="WeightsFormatException"/> naming the file and the problem.
    /// </summary>
    public static ModelFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file does not exist.", path);
        var header = Safetensors.ReadHeader(path);
        var meta = header.Metadata;
        if (!meta.TryGetValue("format", out var format) || format != Format)
            throw new WeightsFormatException(path, $"is not an SrMlNet model file (format '{format ?? "none"}'); a plain safetensors file holds weights only: load it into a network with load_state_dict");
        string Get(string key) => meta.TryGetValue(key, out var v) ? v : throw new WeightsFormatException(path, $"model file has no '{key}' entry");
        if (!int.TryParse(Get("format_version"), CultureInfo.InvariantCulture, out int version) || version > FormatVersion)
            throw new WeightsFormatException(path, $"model file version '{Get("format_version")}' is newer than this SrMlNet reads ({FormatVersion})");
        if (!int.TryParse(Get("scale"), CultureInfo.InvariantCulture, out int scale) || scale is < 1 or > 16)
            throw new WeightsFormatException(path, $"invalid scale '{Get("scale")}' (1..16)");
        if (!Enum.TryParse<ColorSpace>(Get("color_space"), out var colorSpace) || !Enum.IsDefined(colorSpace))
            throw new WeightsFormatException(path, $"invalid colour space '{Get("color_space")}'");
        JsonObject? options;
        try
        {
            options = JsonNode.Parse(Get("options")) as JsonObject
                ?? throw new WeightsFormatException(path, $"options are not a JSON object ({Truncate(Get("options"))})");
        }
        catch (JsonException e)
        {
            throw new WeightsFormatException(path, $"options are not valid JSON ({e.Message})", e);
        }
        if (options is { Count: 0 }) options = null;
        var modelName = Get("model");
        CheckDeclared(path, header, modelName, scale, options);

        var tensors = Safetensors.LoadStateDict(path);
        foreach (var t in tensors.Values) t.DetachFromDisposeScope(); // the caller owns them through this object
        try
        {
            foreach (var (name, t) in tensors)
            {
                using var finite = t.isfinite();
                using var all = finite.all();
                if (all.item<bool>()) continue;
                using var nan = t.isnan();
                using var nans = nan.sum();
                using var notFinite = finite.logical_not();
                using var bad = notFinite.sum();
                throw new WeightsFormatException(path, $"tensor '{name}' holds {bad.ToInt64():N0} non-finite value(s) ({nans.ToInt64():N0} NaN, the rest ±infinity); the file is corrupt or the training diverged");
            }
            if (meta.TryGetValue(DigestKey, out var stored) && !string.Equals(stored, Digest(tensors, meta), StringComparison.OrdinalIgnoreCase))
                throw new WeightsFormatException(path, $"does not match the SHA-256 stored in it ({DigestKey}, over its weights, model, scale, colour space and options): the file was altered or damaged after it was written");
            var info = meta.Where(p => p.Key.StartsWith("info.", StringComparison.Ordinal)).ToDictionary(p => p.Key[5..], p => p.Value);
            return new ModelFile(path, modelName, scale, colorSpace, options, tensors, info);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>
    /// What the header declares, checked before anything is allocated: the options bind (our message for unknown or
    /// out-of-range options), the network they describe fits the parameter budget and the stored tensors, and every
    /// tensor is float32 (every SrMlNet network's state dict is).
    /// </summary>
    private static void CheckDeclared(string path, SafetensorsHeader header, string modelName, int scale, JsonObject? options)
    {
        foreach (var e in header.Tensors)
            if (e.Dtype != "F32")
                throw new WeightsFormatException(path, $"tensor '{e.Name}' is stored as {e.Dtype}, where float32 (F32) belongs");
        (long Parameters, bool Exact)? estimate;
        try
        {
            estimate = ModelLimits.Check(modelName, scale, options);
            if (ModelRegistry.TryGet(modelName, out var info) && info.OptionsType is { } type)
                typeof(ModelOptions).GetMethod(nameof(ModelOptions.Bind), 1, [typeof(string), typeof(JsonObject)])!
                    .MakeGenericMethod(type).Invoke(null, [info.Name, options]);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is ArgumentException a)
        {
            throw new WeightsFormatException(path, a.Message, a);
        }
        catch (ArgumentException e)
        {
            throw new WeightsFormatException(path, e.Message, e);
        }
        long stored = 0;
        foreach (var e in header.Tensors) stored += e.Shape.Aggregate(1L, (a, b) => a * b);
        if (estimate is { Exact: true } exact && exact.Parameters != stored)
            throw new WeightsFormatException(path, $"its options describe a '{modelName}' ×{scale} network of {exact.Parameters:N0} parameters, but it stores {stored:N0}");
        if (estimate is { Exact: false } bound && bound.Parameters > stored)
            throw new WeightsFormatException(path, $"its options describe a '{modelName}' ×{scale} network of at least {bound.Parameters:N0} parameters, but it stores {stored:N0}");
    }

    /// <summary>Builds the network with <paramref name="model"/>'s factory and loads the weights (strict: every name must match).</summary>
    public SrNetwork CreateNetwork(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!string.Equals(model.Name, ModelName, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{Source}: holds a '{ModelName}' model, not '{model.Name}'.", nameof(model));
        SrNetwork network;
        try
        {
            ModelLimits.Check(ModelName, Scale, Options);
            network = model.Create(Scale, Options);
        }
        catch (ArgumentException e)
        {
            throw new WeightsFormatException(Source, $"cannot build its '{ModelName}' ×{Scale} network: {e.Message}", e);
        }
        network.RegistryName = model.Name;
        network.RegistryOptions = Options;
        try
        {
            network.load_state_dict(Weights, strict: true);
        }
        catch (ArgumentException e)
        {
            network.Dispose();
            throw new WeightsFormatException(Source, $"weights do not fit the '{ModelName}' ×{Scale} network: {e.Message}", e);
        }
        network.eval();
        return network;
    }

    /// <summary>
    /// Starts <paramref name="network"/> (built for <paramref name="model"/> ×<paramref name="scale"/>) from these weights —
    /// fine-tuning, or a second training stage with another learning rate. Strict (every name and shape) when the file
    /// holds the same network, or another variant of it that shares its architecture (spsr-g/-p/-j). With
    /// <paramref name="partialFrom"/> naming this file's model, the weights whose names and shapes match are copied and the
    /// rest keep their initialisation — SPSR's generator starting from a trained RRDBNet, as upstream's
    /// <c>pretrain_model_G</c> with strict = False. Returns how many tensors were copied.
    /// </summary>
    public int InitializeWeights(SrNetwork network, ModelInfo model, int scale, string? partialFrom = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(model);
        if (scale != Scale)
            throw new WeightsFormatException(Source, $"holds a ×{Scale} model and cannot initialise a ×{scale} network.");
        static string Family(string name) => name.StartsWith("spsr-", StringComparison.OrdinalIgnoreCase) ? "spsr" : name.ToLowerInvariant();
        bool partial = partialFrom is not null && string.Equals(partialFrom, ModelName, StringComparison.OrdinalIgnoreCase);
        if (!partial && Family(model.Name) != Family(ModelName))
            throw new WeightsFormatException(Source, $"holds a '{ModelName}' model and cannot initialise a '{model.Name}' network.");
        try
        {
            if (!partial)
            {
                network.load_state_dict(Weights, strict: true);
                return Weights.Count;
            }
            var own = network.state_dict();
            var matching = Weights.Where(w => own.TryGetValue(w.Key, out var t) && t.shape.SequenceEqual(w.Value.shape)).ToDictionary(w => w.Key, w => w.Value);
            if (matching.Count == 0)
                throw new WeightsFormatException(Source, $"no weight of this '{ModelName}' model matches the '{model.Name}' network by name and shape (other nf/nb/gc options?).");
            network.load_state_dict(matching, strict: false);
            return matching.Count;
        }
        catch (ArgumentException e)
        {
            throw new WeightsFormatException(Source, $"weights do not fit the '{model.Name}' ×{scale} network (other options?): {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var t in Weights.Values) t.Dispose();
    }
}
