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
        Safetensors.SaveStateDict(path, network.state_dict(), meta);
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

    /// <summary>Reads a model file; a truncated or foreign file throws <see cref="WeightsFormatException"/> naming it.</summary>
    public static ModelFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file does not exist.", path);
        var meta = Safetensors.ReadHeader(path).Metadata;
        if (!meta.TryGetValue("format", out var format) || format != Format)
            throw new WeightsFormatException(path, $"is not an SrMlNet model file (format '{format ?? "none"}'); a plain safetensors file holds weights only: load it into a network with load_state_dict");
        var tensors = Safetensors.LoadStateDict(path);
        foreach (var t in tensors.Values) t.DetachFromDisposeScope(); // the caller owns them through this object
        try
        {
            string Get(string key) => meta.TryGetValue(key, out var v) ? v : throw new WeightsFormatException(path, $"model file has no '{key}' entry");
            if (!int.TryParse(Get("format_version"), CultureInfo.InvariantCulture, out int version) || version > FormatVersion)
                throw new WeightsFormatException(path, $"model file version '{Get("format_version")}' is newer than this SrMlNet reads ({FormatVersion})");
            if (!int.TryParse(Get("scale"), CultureInfo.InvariantCulture, out int scale) || scale < 1)
                throw new WeightsFormatException(path, $"invalid scale '{Get("scale")}'");
            if (!Enum.TryParse<ColorSpace>(Get("color_space"), out var colorSpace))
                throw new WeightsFormatException(path, $"invalid colour space '{Get("color_space")}'");
            JsonObject? options;
            try
            {
                options = JsonNode.Parse(Get("options")) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new WeightsFormatException(path, $"options are not valid JSON ({e.Message})", e);
            }
            if (options is { Count: 0 }) options = null;
            var info = meta.Where(p => p.Key.StartsWith("info.", StringComparison.Ordinal)).ToDictionary(p => p.Key[5..], p => p.Value);
            return new ModelFile(path, Get("model"), scale, colorSpace, options, tensors, info);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Builds the network with <paramref name="model"/>'s factory and loads the weights (strict: every name must match).</summary>
    public SrNetwork CreateNetwork(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!string.Equals(model.Name, ModelName, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{Source}: holds a '{ModelName}' model, not '{model.Name}'.", nameof(model));
        var network = model.Create(Scale, Options);
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
