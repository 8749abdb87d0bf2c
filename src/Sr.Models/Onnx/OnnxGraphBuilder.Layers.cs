using System.Globalization;
using System.Text.RegularExpressions;
using Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Onnx;

/// <summary>The layers of the networks as ONNX nodes: convolutions, activations, arithmetic, reshaping, padding, up-sampling.</summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>An <c>nn.Conv2d</c> as ONNX Conv (zero padding; other padding modes are not used by our networks).</summary>
    public string Conv(nn.Conv2d conv, string x)
    {
        if (conv.padding != 0 && conv.padding_mode is not (nn.PaddingModes.Zeros or nn.PaddingModes.Constant))
            throw new NotSupportedException($"Conv2d with {conv.padding_mode} padding has no ONNX export here.");
        var w = Initializer("weight", conv.weight);
        var b = conv.bias is null ? null : Initializer("bias", conv.bias);
        return Conv(x, w, b, conv.kernel_size, conv.stride, conv.padding, conv.dilation, conv.groups);
    }

    /// <summary>ONNX Conv with square kernel, equal strides and symmetric zero padding.</summary>
    public string Conv(string x, string weight, string? bias, long kernel, long stride = 1, long padding = 0, long dilation = 1, long groups = 1)
    {
        var inputs = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return Node("Conv", inputs,
            Attr("kernel_shape", kernel, kernel), Attr("strides", stride, stride), Attr("pads", padding, padding, padding, padding),
            Attr("dilations", dilation, dilation), Attr("group", groups));
    }

    /// <summary>An <c>nn.ConvTranspose2d</c> as ONNX ConvTranspose (weight layout [in, out/groups, k, k] is the same in both).</summary>
    public string ConvTranspose(nn.ConvTranspose2d deconv, string x)
    {
        var w = Initializer("weight", deconv.weight);
        var inputs = deconv.bias is null ? new[] { x, w } : new[] { x, w, Initializer("bias", deconv.bias) };
        long k = deconv.kernel_size, s = deconv.stride, p = deconv.padding, op = deconv.output_padding, d = deconv.dilation;
        return Node("ConvTranspose", inputs,
            Attr("kernel_shape", k, k), Attr("strides", s, s), Attr("pads", p, p, p, p), Attr("output_padding", op, op),
            Attr("dilations", d, d), Attr("group", deconv.groups));
    }

    public string Relu(string x) => Node("Relu", [x]);

    public string LeakyRelu(string x, double slope) => Node("LeakyRelu", [x], Attr("alpha", (float)slope));

    /// <summary>An <c>nn.PReLU</c>: its C slopes become a C×1×1 initializer so they broadcast over N×C×H×W as PyTorch's.</summary>
    public string PRelu(nn.PReLU prelu, string x)
    {
        using var w = prelu.weight.detach().to(ScalarType.Float32);
        var slope = Initializer("prelu", w.data<float>(), w.numel(), 1, 1);
        return Node("PRelu", [x, slope]);
    }

    public string Add(string a, string b) => Node("Add", [a, b]);

    public string Sub(string a, string b) => Node("Sub", [a, b]);

    public string Mul(string a, string b) => Node("Mul", [a, b]);

    public string Div(string a, string b) => Node("Div", [a, b]);

    public string Add(string a, float b) => Add(a, Scalar(b));

    public string Sub(string a, float b) => Sub(a, Scalar(b));

    public string Mul(string a, float b) => Mul(a, Scalar(b));

    public string Div(string a, float b) => Div(a, Scalar(b));

    public string Concat(long axis, params string[] inputs) => inputs.Length == 1 ? inputs[0] : Node("Concat", inputs, Attr("axis", axis));

    /// <summary>PyTorch's pixel_shuffle: DepthToSpace in CRD mode (channel c·s² + i·s + j → (c, s·y + i, s·x + j)).</summary>
    public string PixelShuffle(string x, long scale) => Node("DepthToSpace", [x], Attr("blocksize", scale), Attr("mode", "CRD"));

    public string Clip(string x, float min, float max) => Node("Clip", [x, Scalar(min), Scalar(max)]);

    public string Reshape(string x, string shape) => Node("Reshape", [x, shape]);

    public string Reshape(string x, params long[] shape) => Reshape(x, Int64(shape));

    public string Unsqueeze(string x, params long[] axes) => Node("Unsqueeze", [x, Int64(axes)]);

    public string Shape(string x) => Node("Shape", [x]);

    public string Cast(string x, TensorProto.Types.DataType to) => Node("Cast", [x], Attr("to", (long)to));

    /// <summary>Slice along the given axes; ends beyond the size are clamped as in numpy (long.MaxValue for "to the end").</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes, long[]? steps = null)
    {
        var inputs = new List<string> { x, Int64(starts), Int64(ends), Int64(axes) };
        if (steps is not null) inputs.Add(Int64(steps));
        return Node("Slice", inputs);
    }

    /// <summary>Slice with dynamic starts/ends (1-D int64 values).</summary>
    public string Slice(string x, string starts, string ends, long[] axes) => Node("Slice", [x, starts, ends, Int64(axes)]);

    /// <summary>Dimensions [start, end) of x's shape as a 1-D int64 value.</summary>
    public string ShapeRange(string x, long start, long end) => Slice(Shape(x), [start], [end], [0]);

    /// <summary>
    /// PyTorch's <c>F.pad(x, [p, p, p, p], Symmetric)</c> (mirror with the edge pixel included) on the last two axes. ONNX's
    /// Pad has reflect (edge excluded) and edge modes only, so each border strip is cut with a reversed Slice (step −1)
    /// and concatenated; this works for any H, W ≥ p without image-size-dependent constants.
    /// </summary>
    public string SymmetricPad(string x, long p)
    {
        if (p == 0) return x;
        foreach (long axis in new long[] { 2, 3 })
        {
            // x[p−1], …, x[0]  and  x[n−1], …, x[n−p]
            var before = Slice(x, [p - 1], [long.MinValue], [axis], [-1]);
            var after = Slice(x, [-1], [-p - 1], [axis], [-1]);
            x = Concat(axis, before, x, after);
        }
        return x;
    }

    /// <summary>
    /// <see cref="BicubicUpsample"/> (MATLAB's imresize bicubic for an integer up-scale): 2-pixel symmetric pad, the fixed
    /// 5×5 per-phase filters as a grouped convolution (one group per channel, s² phases each), and DepthToSpace — the
    /// same steps as the module, with the C channels as groups instead of folded into the batch (same values).
    /// </summary>
    public string BicubicUpsample(string x, int scale, int channels)
    {
        if (scale == 1) return x;
        var w = Networks.BicubicUpsample.PhaseWeights(scale);
        int s2 = scale * scale;
        var data = new float[channels * s2 * 25];
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < scale; p++)
                for (int q = 0; q < scale; q++)
                    for (int a = 0; a < 5; a++)
                        for (int b = 0; b < 5; b++)
                            data[(((c * s2) + p * scale + q) * 5 + a) * 5 + b] = (float)(w[p][a] * w[q][b]);
        var weight = Initializer("bicubic", data, channels * s2, 1, 5, 5);
        var padded = SymmetricPad(x, 2);
        var phased = Conv(padded, weight, null, 5, groups: channels);
        return PixelShuffle(phased, scale);
    }

    /// <summary>Nearest-neighbour up-sampling by an integer factor, as PyTorch's (source index ⌊o/s⌋).</summary>
    public string UpsampleNearest(string x, long scale) =>
        Node("Resize", [x, "", Initializer("scales", [1, 1, scale, scale], 4)],
            Attr("mode", "nearest"), Attr("coordinate_transformation_mode", "asymmetric"), Attr("nearest_mode", "floor"));

    // ---- generic modules ---------------------------------------------------------------------------------------

    /// <summary>
    /// The stateless and container modules that networks compose from: Conv2d, ConvTranspose2d, PReLU, Sequential, the
    /// lambda layers (ReLU, LeakyReLU, Upsample nearest) and any module that knows how to export itself
    /// (<see cref="IOnnxExportable"/>).
    /// </summary>
    public string Module(nn.Module module, string x)
    {
        switch (module)
        {
            case IOnnxExportable e: return e.ExportOnnx(this, x);
            case nn.Conv2d c: return Conv(c, x);
            case nn.ConvTranspose2d d: return ConvTranspose(d, x);
            case nn.PReLU p: return PRelu(p, x);
            case nn.Sequential s:
                for (int i = 0; i < s.Count; i++) x = Module(s[i], x);
                return x;
            case nn.Lambda l: return Lambda(l, x);
            default: throw new NotSupportedException($"No ONNX export for module {module.GetName}.");
        }
    }

    /// <summary>
    /// A lambda layer, recognised by its name and its repr: the binding keeps the function itself opaque, so the
    /// arguments (slope, factor) are read back from the text it prints, and anything not recognised fails loudly.
    /// </summary>
    private string Lambda(nn.Lambda l, string x)
    {
        string repr = l.ToString() ?? "";
        switch (l.GetName)
        {
            case "ReLU": return Relu(x);
            case "Identity": return x;
            case "LeakyReLU":
                return LeakyRelu(x, ReadNumber(repr, "negative_slope"));
            case "Upsample":
                if (!repr.Contains("mode=Nearest", StringComparison.Ordinal)) break;
                double f = ReadNumber(repr, "scale_factor");
                if (f != Math.Round(f) || f < 1) break;
                return UpsampleNearest(x, (long)f);
            case "PixelShuffle":
                return PixelShuffle(x, (long)ReadNumber(repr, "upscale_factor"));
        }
        throw new NotSupportedException($"No ONNX export for layer {repr}.");
    }

    private static double ReadNumber(string repr, string key)
    {
        var m = Regex.Match(repr, Regex.Escape(key) + @"=([-+0-9.eE]+)");
        if (!m.Success) throw new NotSupportedException($"Cannot read {key} from layer {repr}.");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
