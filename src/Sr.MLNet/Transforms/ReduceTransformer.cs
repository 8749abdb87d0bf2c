using System.Text.Json.Nodes;
using Sr.Models;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// RSRNet's learned down-scaler (Cai et al., RRNet of Fig. 4): HR Y images → quantised LR Y images that the jointly
/// trained SRNet restores best. The fitted half of <see cref="ReduceEstimator"/>; holds the whole RSRNet (registry
/// "rsrnet"), so <see cref="Network"/> can also upscale what it reduced. No tiling: RRNet is three 3×3 layers and a
/// strided convolution, cheap next to SR. Owns the network: dispose it.
/// </summary>
public sealed class ReduceTransformer : ImageTransformerBase, IDisposable, ILoadableTransformer<ReduceTransformer>
{
    private static readonly VersionInfo Version = new("RRNETXF ", 0x00010001, 0x00010001, 0x00010001, "SrReduce");
    private const string WeightsStream = "Weights.safetensors";
    private readonly SrNetwork _network;

    public ReduceTransformer(string modelName, SrNetwork network, JsonObject? networkOptions, string outputColumnName, string inputColumnName)
        : base((outputColumnName, inputColumnName))
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentNullException.ThrowIfNull(network);
        if (network is not IReducingNetwork) throw new ArgumentException($"Network '{modelName}' has no learned down-scaler (it is not an IReducingNetwork).", nameof(network));
        ModelName = modelName;
        _network = network;
        _network.eval();
        NetworkOptions = networkOptions;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public string ModelName { get; }

    public SrNetwork Network => _network;

    public JsonObject? NetworkOptions { get; }

    public int Scale => _network.Scale;

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input)
    {
        if (input is { } cs && cs != _network.ColorSpace)
            throw SchemaErrors.Mismatch(ColumnPairs[pair].inputColumnName, $"{_network.ColorSpace} Image (model '{ModelName}')", $"{cs} Image");
        return _network.ColorSpace;
    }

    protected override DataViewSchema.Annotations GetOutputAnnotations(int pair, DataViewSchema.Column input, ColorSpace? output) =>
        new DataViewSchema.Annotations.Builder().Add(WithColorSpace(input.Annotations, output), k => k is not (AnnotationKinds.ScaleDivisor or AnnotationKinds.ModCrop))
            .AddPrimitiveValue(AnnotationKinds.ScaleDivisor, NumberDataViewType.Int32, Scale).ToAnnotations();

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        if (input.ColorSpace != _network.ColorSpace)
            throw new InvalidOperationException($"{input.Source ?? "an image"}: model '{ModelName}' reduces {_network.ColorSpace} images, got {input.ColorSpace}.");
        if (input.Height % Scale != 0 || input.Width % Scale != 0)
            throw new InvalidOperationException($"{input.Source ?? "an image"}: {input.Width}×{input.Height} is not a multiple of the scale {Scale}; add ModCrop(scale: {Scale}) before Reduce.");
        using var mode = torch.inference_mode();
        return ((IReducingNetwork)_network).Reduce(input.Pixels).clone();
    }

    /// <summary>*** Binary format *** options JSON: { ModelName, Scale, NetworkOptions, Output, Input }; side stream Weights.safetensors: the whole RSRNet.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved { ModelName = ModelName, Scale = Scale, NetworkOptions = NetworkOptions?.ToJsonString(), Output = ColumnPairs[0].outputColumnName, Input = ColumnPairs[0].inputColumnName });
        ctx.SaveWeights(WeightsStream, _network);
    }

    public static ReduceTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        if (string.IsNullOrEmpty(o.ModelName) || string.IsNullOrEmpty(o.Output) || string.IsNullOrEmpty(o.Input) || o.Scale <= 0)
            throw ctx.Error($"{ctx.Directory}/Model.key has incomplete Reduce options");
        var options = o.NetworkOptions is null ? null : JsonNode.Parse(o.NetworkOptions) as JsonObject;
        SrNetwork network;
        try
        {
            network = ModelRegistry.Create(o.ModelName, o.Scale, options);
        }
        catch (ArgumentException e)
        {
            throw ctx.Error($"{ctx.Directory}: cannot rebuild network '{o.ModelName}' ×{o.Scale} ({e.Message})", e);
        }
        try
        {
            ctx.LoadWeights(WeightsStream, network);
            return new ReduceTransformer(o.ModelName, network, options, o.Output, o.Input);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public void Dispose() => _network.Dispose();

    private sealed class Saved
    {
        public string ModelName { get; set; } = "";
        public int Scale { get; set; }
        public string? NetworkOptions { get; set; }
        public string Output { get; set; } = "";
        public string Input { get; set; } = "";
    }
}
