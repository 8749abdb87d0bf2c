using System.Text.Json.Nodes;
using Sr.Models;
using Sr.Models.Imaging;
using Sr.Models.Inference;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// A trained SR network applied to whole images (the fitted half of <see cref="SuperResolutionEstimator"/>), and an
/// <see cref="ISuperResolver"/> — the same object the CLI's evaluator drives, so the pipeline and <c>sr eval</c> share one
/// code path. A Y-channel network given an RGB image runs on its Y (not rounded) while the chroma is upscaled with MATLAB
/// bicubic, then the two are recombined to RGB. Large images are processed in tiles (<see cref="TileSize"/>) whose result
/// equals a whole-image pass. Owns the network: dispose it.
/// </summary>
public sealed class SuperResolutionTransformer : ImageTransformerBase, ISuperResolver, IDisposable, ILoadableTransformer<SuperResolutionTransformer>
{
    private static readonly VersionInfo Version = new("SRNETXF ", 0x00010001, 0x00010001, 0x00010001, "SrSuperResolve");
    private const string WeightsStream = "Weights.bin";
    private readonly SrNetwork _network;
    private readonly NetworkSuperResolver _resolver;

    /// <param name="network">Takes ownership; put in eval mode.</param>
    public SuperResolutionTransformer(string modelName, SrNetwork network, JsonObject? networkOptions, int tileSize, string outputColumnName, string inputColumnName)
        : base((outputColumnName, inputColumnName))
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegative(tileSize);
        ModelName = modelName;
        _network = network;
        NetworkOptions = networkOptions;
        TileSize = tileSize;
        // The networks' own inference path (tiles with a receptive-field margin, equal to a whole-image pass).
        _resolver = new NetworkSuperResolver(network, modelName, new InferenceOptions { TileSize = tileSize }, ownsNetwork: true);
    }

    public static string LoaderSignature => Version.LoaderSignature;

    /// <summary>The registry name of the network ("rsrnet-sr").</summary>
    public string ModelName { get; }

    public SrNetwork Network => _network;

    public JsonObject? NetworkOptions { get; }

    public int Scale => _network.Scale;

    /// <summary>LR tile side for inference; 0: whole images.</summary>
    public int TileSize { get; }

    string ISuperResolver.Name => ModelName;

    public ColorSpace ColorSpace => _network.ColorSpace;

    public IReadOnlyList<int> Scales => [Scale];

    /// <summary>Upscales N×C×h×w LR (C matching the network) to N×C×sh×sw, clamped to [0,1]; no autograd.</summary>
    public Tensor Upscale(Tensor lr, int scale)
    {
        ArgumentNullException.ThrowIfNull(lr);
        if (scale != Scale) throw new ArgumentException($"Model '{ModelName}' was trained for ×{Scale}, not ×{scale}.", nameof(scale));
        return _resolver.Upscale(lr, scale);
    }

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input)
    {
        if (ColorSpace == ColorSpace.Rgb && input == ColorSpace.Y)
            throw SchemaErrors.Mismatch(ColumnPairs[pair].inputColumnName, $"RGB Image (model '{ModelName}' is an RGB network)", "Y Image");
        return input;
    }

    protected override DataViewSchema.Annotations GetOutputAnnotations(int pair, DataViewSchema.Column input, ColorSpace? output) =>
        new DataViewSchema.Annotations.Builder().Add(WithColorSpace(input.Annotations, output), k => k is not (AnnotationKinds.ScaleDivisor or AnnotationKinds.ModCrop)).ToAnnotations();

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        if (input.ColorSpace == ColorSpace)
            return Upscale(input.Pixels, Scale);
        if (ColorSpace == ColorSpace.Rgb)
            throw new InvalidOperationException($"{input.Source ?? "an image"}: model '{ModelName}' needs RGB input, got Y.");
        // Y network, RGB image: Y through the network, chroma through bicubic, as the papers display their results.
        var ycbcr = ColorConversion.RgbToYCbCr(input.Pixels.to(ScalarType.Float64)).to(ScalarType.Float32);
        var y = Upscale(ycbcr.narrow(1, 0, 1).contiguous(), Scale);
        var chroma = MatlabResize.Upscale(ycbcr.narrow(1, 1, 2).contiguous(), Scale).to(ScalarType.Float32);
        return ColorConversion.YCbCrToRgb(torch.cat([y, chroma], 1)).clamp(0, 1);
    }

    /// <summary>
    /// *** Binary format *** options JSON: { ModelName, Scale, ColorSpace, NetworkOptions, TileSize, Output, Input };
    /// side stream Weights.bin: the network's state dict (see <c>StateDictStream</c>).
    /// </summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved
        {
            ModelName = ModelName,
            Scale = Scale,
            ColorSpace = ColorSpace,
            NetworkOptions = NetworkOptions?.ToJsonString(),
            TileSize = TileSize,
            Output = ColumnPairs[0].outputColumnName,
            Input = ColumnPairs[0].inputColumnName,
        });
        ctx.SaveWeights(WeightsStream, _network);
    }

    public static SuperResolutionTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        if (string.IsNullOrEmpty(o.ModelName) || string.IsNullOrEmpty(o.Output) || string.IsNullOrEmpty(o.Input) || o.Scale <= 0 || o.TileSize < 0)
            throw ctx.Error($"{ctx.Directory}/Model.key has incomplete SuperResolve options");
        JsonObject? networkOptions = o.NetworkOptions is null ? null : JsonNode.Parse(o.NetworkOptions) as JsonObject;
        SrNetwork network;
        try
        {
            network = ModelRegistry.Create(o.ModelName, o.Scale, networkOptions);
        }
        catch (ArgumentException e)
        {
            throw ctx.Error($"{ctx.Directory}: cannot rebuild network '{o.ModelName}' ×{o.Scale} ({e.Message})", e);
        }
        try
        {
            if (network.ColorSpace != o.ColorSpace)
                throw ctx.Error($"{ctx.Directory}: network '{o.ModelName}' is {network.ColorSpace} now but was saved as {o.ColorSpace}");
            ctx.LoadWeights(WeightsStream, network);
            return new SuperResolutionTransformer(o.ModelName, network, networkOptions, o.TileSize, o.Output, o.Input);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public void Dispose() => _resolver.Dispose();

    private sealed class Saved
    {
        public string ModelName { get; set; } = "";
        public int Scale { get; set; }
        public ColorSpace ColorSpace { get; set; }
        public string? NetworkOptions { get; set; }
        public int TileSize { get; set; }
        public string Output { get; set; } = "";
        public string Input { get; set; } = "";
    }
}
