using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Onnx;
using Sr.Models.Networks;
using Sr.Models.Networks.Spsr;
using Sr.Models.Training;
using Sr.Torch.io;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Sr.Models.Onnx;

/// <summary>
/// Exports an <see cref="SrNetwork"/> as an ONNX model (opset <see cref="Opset"/>) for ONNX Runtime, ML.NET's
/// OnnxTransformer or any other ONNX consumer. The graph mirrors the network's forward in evaluation mode, with the
/// trained weights as initializers; H and W (and N in the Nchw layout) are dynamic.
/// </summary>
/// <remarks>
/// Layouts:
/// <list type="bullet">
/// <item><see cref="OnnxLayout.Nchw"/>: input "input" float [N,C,H,W], output "output" float [N,C,sH,sW] = the raw forward (no clamp).</item>
/// <item><see cref="OnnxLayout.Flat"/> (ML.NET's OnnxTransformer allows one dynamic axis per input, and not the first): inputs
/// "pixels" float [1,P] (the C×h×w planes of one image, row-major CHW) and "hw" int64 [2] = {h, w}; outputs "out" float
/// [1,Q] (the C×sh×sw planes, clamped to [0,1]) and "out_hw" int64 [2] = {s·h, s·w}. The reshapes happen inside the graph.</item>
/// <item><see cref="OnnxLayout.Image"/>: input "image" float [1,3,H,W] RGB in [0,1], output "image_out" [1,3,sH,sW] in [0,1]:
/// for a Y network RGB → YCbCr (MATLAB's rgb2ycbcr, BT.601, float, no rounding), Y through the network and clamped to [0,1]
/// (as <see cref="Inference.NetworkSuperResolver"/> clamps it), Cb/Cr by MATLAB bicubic, back to RGB and clamped — what
/// <see cref="Upscaling.ImageUpscaler"/> does; for an RGB network the network and a clamp.</item>
/// </list>
/// Every model carries metadata_props: sr.producer = "SrMlNet", sr.model, sr.scale, sr.colorSpace, sr.layout, sr.options,
/// sr.receptiveFieldRadius (read back by <see cref="OnnxModelInfo"/>).
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX opset of every exported model (LSP's pixel placement needs ScatterElements with reduction "add", opset ≥ 16).</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version that goes with opset 17.</summary>
    internal const long IrVersion = 8;

    /// <summary>The value of the sr.producer metadata entry.</summary>
    public const string Producer = "SrMlNet";

    internal const string ProducerKey = "sr.producer", ModelKey = "sr.model", ScaleKey = "sr.scale",
        ColorSpaceKey = "sr.colorSpace", LayoutKey = "sr.layout", OptionsKey = "sr.options", RadiusKey = "sr.receptiveFieldRadius";

    /// <summary>The ONNX model (serialized ModelProto) of <paramref name="network"/> in <paramref name="layout"/>.</summary>
    public static byte[] Export(SrNetwork network, OnnxLayout layout = OnnxLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Build(network, layout).ToByteArray();
    }

    /// <summary>Writes the ONNX model to <paramref name="path"/> (a temporary sibling, then renamed: nothing half-written).</summary>
    public static void Export(SrNetwork network, string path, OnnxLayout layout = OnnxLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, Export(network, layout));
    }

    /// <summary>The sr.model name of RSRNet's exported down-scaler.</summary>
    public const string ReducerModelName = "rsrnet-reducer";

    /// <summary>
    /// RSRNet's learned down-scaler (RRNet with its Q-BReLU, as at inference) as an ONNX model: "input" float [N,C,H,W] HR →
    /// "output" [N,C,⌊H/s⌋,⌊W/s⌋], quantised to the Q-BReLU's levels. With <paramref name="layout"/> Flat (for ML.NET's
    /// OnnxTransformer): "pixels" [1,P] + "hw" [2] → "out" [1,Q] + "out_hw" [2] = hw / s (H and W multiples of s). Its metadata says
    /// sr.model = <see cref="ReducerModelName"/> and sr.layout = "Reducer" / "ReducerFlat"; it is not an SR model, so
    /// <see cref="OnnxModelInfo"/> and the ONNX Runtime backend refuse it.
    /// </summary>
    public static byte[] ExportReducer(RsrNet network, OnnxLayout layout = OnnxLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(network);
        var g = new OnnxGraphBuilder();
        long c = network.Channels;
        if (layout == OnnxLayout.Nchw)
        {
            var input = g.Input("input", DataType.Float, "N", c, "H", "W");
            g.Output(network.Reducer.ExportOnnx(g, input), "output", DataType.Float, "N", c, "h", "w");
            return Wrap(g, network, ReducerModelName, "Reducer").ToByteArray();
        }
        if (layout != OnnxLayout.Flat) throw new ArgumentOutOfRangeException(nameof(layout), layout, "The reducer is exported in the Nchw or the Flat layout.");
        var pixels = g.Input("pixels", DataType.Float, 1L, "P");
        var hw = g.Input("hw", DataType.Int64, 2L);
        var x = g.Reshape(pixels, g.Concat(0, g.Int64(1, c), hw));
        var y = network.Reducer.ExportOnnx(g, x);
        g.Output(g.Reshape(y, 1, -1), "out", DataType.Float, 1L, "Q");
        g.Output(g.Div(hw, g.Int64([network.Scale], scalar: true)), "out_hw", DataType.Int64, 2L);
        return Wrap(g, network, ReducerModelName, "ReducerFlat").ToByteArray();
    }

    private static ModelProto Build(SrNetwork network, OnnxLayout layout)
    {
        var g = new OnnxGraphBuilder();
        long c = network.Channels, s = network.Scale;
        switch (layout)
        {
            case OnnxLayout.Nchw:
            {
                var input = g.Input("input", DataType.Float, "N", c, "H", "W");
                g.Output(network.ExportOnnx(g, input), "output", DataType.Float, "N", c, "sH", "sW");
                break;
            }
            case OnnxLayout.Flat:
            {
                var pixels = g.Input("pixels", DataType.Float, 1L, "P");
                var hw = g.Input("hw", DataType.Int64, 2L);
                var x = g.Reshape(pixels, g.Concat(0, g.Int64(1, c), hw));
                var y = g.Clip(network.ExportOnnx(g, x), 0f, 1f);
                g.Output(g.Reshape(y, 1, -1), "out", DataType.Float, 1L, "Q");
                g.Output(g.Mul(hw, g.Int64([s], scalar: true)), "out_hw", DataType.Int64, 2L);
                break;
            }
            case OnnxLayout.Image:
            {
                var image = g.Input("image", DataType.Float, 1L, 3L, "H", "W");
                string result;
                if (network.ColorSpace == ColorSpace.Rgb)
                {
                    result = g.Clip(network.ExportOnnx(g, image), 0f, 1f);
                }
                else
                {
                    var ycbcr = RgbToYCbCr(g, image);
                    var y = g.Clip(network.ExportOnnx(g, g.Slice(ycbcr, [0], [1], [1])), 0f, 1f);
                    var cbcr = g.BicubicUpsample(g.Slice(ycbcr, [1], [3], [1]), network.Scale, 2);
                    result = g.Clip(YCbCrToRgb(g, g.Concat(1, y, cbcr)), 0f, 1f);
                }
                g.Output(result, "image_out", DataType.Float, 1L, 3L, "sH", "sW");
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown ONNX layout.");
        }
        return Wrap(g, network, ModelName(network), layout.ToString());
    }

    private static ModelProto Wrap(OnnxGraphBuilder g, SrNetwork network, string modelName, string layout)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = Producer,
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Domain = "org.srmlnet",
            DocString = $"{modelName} ×{network.Scale} ({network.ColorSpace}), {layout} layout, exported by SrMlNet.",
            Graph = g.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        void Meta(string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        Meta(ProducerKey, Producer);
        Meta(ModelKey, modelName);
        Meta(ScaleKey, network.Scale.ToString(CultureInfo.InvariantCulture));
        Meta(ColorSpaceKey, network.ColorSpace.ToString());
        Meta(LayoutKey, layout);
        // For tiled inference from the file alone: the LR context a tile needs so tiles equal the whole image.
        Meta(RadiusKey, network.ReceptiveFieldRadius.ToString(CultureInfo.InvariantCulture));
        if (Options(network) is { } options) Meta(OptionsKey, options.ToJsonString());
        return model;
    }

    /// <summary>The registry name: as created, else the built-in name of the network's type.</summary>
    internal static string ModelName(SrNetwork network) => network.RegistryName ?? network switch
    {
        SrNet => "rsrnet-sr",
        RsrNet => "rsrnet",
        Srcnn => "srcnn",
        Vdsr => "vdsr",
        Glrl => "glrl",
        Btsrn => "btsrn",
        LspHsp l => l.BoundaryWeight == 0 ? "lsp" : "lsp-hsp",
        RrdbNet => "rrdbnet",
        SpsrNet => "spsr-g",
        _ => network.GetName.ToLowerInvariant(),
    };

    /// <summary>The options the network was built with: its options record when it has one, else the registry's JSON, else SPSR's sizes.</summary>
    private static JsonObject? Options(SrNetwork network)
    {
        var options = ModelFile.EffectiveOptions(network, network.RegistryOptions);
        if (options is not null) return options;
        return network switch
        {
            RrdbNet r => new JsonObject { ["nf"] = r.Features, ["nb"] = r.Blocks, ["gc"] = r.Growth },
            SpsrNet p => new JsonObject { ["nf"] = p.Features, ["nb"] = p.Blocks, ["gc"] = p.Growth },
            _ => null,
        };
    }

    // MATLAB's rgb2ycbcr / ycbcr2rgb (the repo's ColorConversion) as 1×1 convolutions on [0,1] values. ColorConversion
    // computes in float64 and rounds to float32 at the end; here it is float32 throughout (differences ~1e-7).
    private static readonly double[,] YCbCr255 =
    {
        { 65.481, 128.553, 24.966 },
        { -37.797, -74.203, 112.0 },
        { 112.0, -93.786, -18.214 },
    };

    private static readonly double[] Offset255 = [16, 128, 128];

    private static string RgbToYCbCr(OnnxGraphBuilder g, string rgb)
    {
        var w = new float[9];
        var b = new float[3];
        for (int r = 0; r < 3; r++)
        {
            for (int k = 0; k < 3; k++) w[r * 3 + k] = (float)(YCbCr255[r, k] / 255);
            b[r] = (float)(Offset255[r] / 255);
        }
        return g.Conv(rgb, g.Initializer("rgb2ycbcr", w, 3, 3, 1, 1), g.Initializer("rgb2ycbcr_offset", b, 3), 1);
    }

    private static string YCbCrToRgb(OnnxGraphBuilder g, string ycbcr)
    {
        var inv = Invert(YCbCr255);
        var w = new float[9];
        var b = new float[3];
        for (int r = 0; r < 3; r++)
        {
            double bias = 0;
            for (int k = 0; k < 3; k++)
            {
                w[r * 3 + k] = (float)(inv[r, k] * 255);
                bias -= inv[r, k] * Offset255[k];
            }
            b[r] = (float)bias;
        }
        return g.Conv(ycbcr, g.Initializer("ycbcr2rgb", w, 3, 3, 1, 1), g.Initializer("ycbcr2rgb_offset", b, 3), 1);
    }

    private static double[,] Invert(double[,] m)
    {
        double a = m[0, 0], b = m[0, 1], c = m[0, 2], d = m[1, 0], e = m[1, 1], f = m[1, 2], g = m[2, 0], h = m[2, 1], i = m[2, 2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new[,]
        {
            { (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det },
            { (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det },
            { (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det },
        };
    }
}
