using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Sr.Models.Onnx;

/// <summary>
/// What an SrMlNet ONNX model is (registry model, scale, colour space, layout, options), read from its metadata after
/// checking that the file is one of ours and has the inputs its layout promises. Anything else is an
/// <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public sealed class OnnxModelInfo
{
    /// <summary>The largest model file read (1 GiB; the paper-size SPSR generator is ~100 MB).</summary>
    public const long MaxBytes = 1L << 30;

    private OnnxModelInfo(string source, string modelName, int scale, ColorSpace colorSpace, OnnxLayout layout, JsonObject? options, long opset, int? radius)
    {
        ReceptiveFieldRadius = radius;
        Source = source;
        ModelName = modelName;
        Scale = scale;
        ColorSpace = colorSpace;
        Layout = layout;
        Options = options;
        Opset = opset;
    }

    /// <summary>The file read, or a description of in-memory bytes.</summary>
    public string Source { get; }

    /// <summary>The registry name of the exported network ("rsrnet-sr", "btsrn", …).</summary>
    public string ModelName { get; }

    public int Scale { get; }

    public ColorSpace ColorSpace { get; }

    public OnnxLayout Layout { get; }

    /// <summary>The network's options as exported (null when none were recorded).</summary>
    public JsonObject? Options { get; }

    /// <summary>The default-domain opset the model was written for.</summary>
    public long Opset { get; }

    /// <summary>LR pixels of context a tile needs (the network's receptive-field radius), when the file records it.</summary>
    public int? ReceptiveFieldRadius { get; }

    /// <summary>Channels of the network's input and output (1 for Y, 3 for RGB).</summary>
    public int Channels => ColorSpace == ColorSpace.Y ? 1 : 3;

    /// <summary>Reads and validates an ONNX file.</summary>
    public static OnnxModelInfo Read(string path)
    {
        return Read(path, out _);
    }

    /// <summary><see cref="Read(string)"/> that also hands back the bytes it read (to load them without reading twice).</summary>
    internal static OnnxModelInfo Read(string path, out byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: ONNX model file not found.", path);
        long length = new FileInfo(path).Length;
        if (length > MaxBytes)
            throw new InvalidDataException($"{path}: {length:N0} bytes is larger than an SrMlNet ONNX model can be ({MaxBytes:N0} bytes at most).");
        bytes = File.ReadAllBytes(path);
        return Read(bytes, path);
    }

    /// <summary>The sr.model an SrMlNet ONNX model names in its metadata; null when the bytes do not parse or name none.</summary>
    internal static string? SrModelName(byte[] bytes)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(bytes).MetadataProps.LastOrDefault(p => p.Key == OnnxExporter.ModelKey)?.Value;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>Reads and validates an ONNX model held in memory.</summary>
    public static OnnxModelInfo Read(byte[] model) => Read(model, "ONNX model (in memory)");

    internal static OnnxModelInfo Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.LongLength > MaxBytes)
            throw new InvalidDataException($"{source}: {bytes.LongLength:N0} bytes is larger than an SrMlNet ONNX model can be ({MaxBytes:N0} bytes at most).");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not an ONNX model, or a truncated one ({e.Message})", e);
        }
        if (model.IrVersion <= 0 || model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"{source}: not an ONNX model, or a truncated one (no IR version or no graph).");
        var meta = model.MetadataProps.GroupBy(p => p.Key).ToDictionary(p => p.Key, p => p.Last().Value, StringComparer.Ordinal);
        if (!meta.TryGetValue(OnnxExporter.ProducerKey, out var producer) || producer != OnnxExporter.Producer)
            throw new InvalidDataException($"{source}: an ONNX model, but not one exported by SrMlNet (no '{OnnxExporter.ProducerKey}' = '{OnnxExporter.Producer}' metadata); " +
                "only SrMlNet's exports say which network, scale and colour space they hold. Export one with `sr export`.");
        string Get(string key) => meta.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v : throw new InvalidDataException($"{source}: SrMlNet ONNX metadata '{key}' is missing.");
        var name = Get(OnnxExporter.ModelKey);
        if (!int.TryParse(Get(OnnxExporter.ScaleKey), NumberStyles.None, CultureInfo.InvariantCulture, out int scale) || scale < 1)
            throw new InvalidDataException($"{source}: invalid scale '{Get(OnnxExporter.ScaleKey)}' in the ONNX metadata.");
        if (!Enum.TryParse<ColorSpace>(Get(OnnxExporter.ColorSpaceKey), out var colorSpace) || !Enum.IsDefined(colorSpace))
            throw new InvalidDataException($"{source}: invalid colour space '{Get(OnnxExporter.ColorSpaceKey)}' in the ONNX metadata.");
        if (!Enum.TryParse<OnnxLayout>(Get(OnnxExporter.LayoutKey), out var layout) || !Enum.IsDefined(layout))
            throw new InvalidDataException($"{source}: layout '{Get(OnnxExporter.LayoutKey)}' is not an SR model layout ({string.Join(", ", Enum.GetNames<OnnxLayout>())}).");
        JsonObject? options = null;
        if (meta.TryGetValue(OnnxExporter.OptionsKey, out var json) && !string.IsNullOrWhiteSpace(json))
        {
            try
            {
                options = JsonNode.Parse(json) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{source}: the options in the ONNX metadata are not valid JSON ({e.Message}).", e);
            }
        }
        foreach (var t in model.Graph.Initializer)
        {
            if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
                throw new InvalidDataException($"{source}: tensor '{t.Name}' is stored in an external file; SrMlNet reads self-contained ONNX models only.");
        }
        long opset = model.OpsetImport.FirstOrDefault(o => string.IsNullOrEmpty(o.Domain))?.Version ?? 0;
        int? radius = meta.TryGetValue(OnnxExporter.RadiusKey, out var r) && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out int rv) ? rv : null;
        var info = new OnnxModelInfo(source, name, scale, colorSpace, layout, options, opset, radius);
        info.CheckSignature(model.Graph);
        return info;
    }

    /// <summary>The graph's inputs must be the layout's (names, element types, ranks, channel counts).</summary>
    private void CheckSignature(GraphProto graph)
    {
        var inputs = graph.Input.Where(i => graph.Initializer.All(t => t.Name != i.Name)).ToList();
        (string name, DataType type, long[] dims)[] expected = Layout switch
        {
            OnnxLayout.Nchw => [("input", DataType.Float, [-1, Channels, -1, -1])],
            OnnxLayout.Flat => [("pixels", DataType.Float, [1, -1]), ("hw", DataType.Int64, [2])],
            _ => [("image", DataType.Float, [1, 3, -1, -1])],
        };
        string Describe() => string.Join(", ", expected.Select(e => $"{e.name} {e.type} [{string.Join(",", e.dims.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))}]"));
        if (inputs.Count != expected.Length)
            throw new InvalidDataException($"{Source}: the {Layout} layout has inputs {Describe()}, but the graph has {inputs.Count} input(s) ({string.Join(", ", inputs.Select(i => i.Name))}).");
        foreach (var (name, type, dims) in expected)
        {
            var input = inputs.FirstOrDefault(i => i.Name == name)
                ?? throw new InvalidDataException($"{Source}: the {Layout} layout has inputs {Describe()}, but the graph has no input '{name}'.");
            var tensor = input.Type?.TensorType;
            var shape = tensor?.Shape?.Dim;
            bool ok = tensor is not null && tensor.ElemType == (int)type && shape is not null && shape.Count == dims.Length;
            for (int d = 0; ok && d < dims.Length; d++)
                if (dims[d] >= 0 && shape![d].HasDimValue && shape[d].DimValue != dims[d]) ok = false;
            if (!ok) throw new InvalidDataException($"{Source}: input '{name}' is not {type} [{string.Join(",", dims.Select(x => x < 0 ? "?" : x.ToString(CultureInfo.InvariantCulture)))}] as the {Layout} layout of a {ColorSpace} model needs.");
        }
    }

    public override string ToString() => $"{ModelName} ×{Scale} ({ColorSpace}, {Layout} layout, opset {Opset})";
}
