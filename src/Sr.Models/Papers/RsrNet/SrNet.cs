// Learning Reduced-Resolution and Super-Resolution Networks in Synchrony (Cai et al.): SRNet, Table 2 (lower half),
// Eq. (4) sub-pixel residual, Fig. 7 (dense pixel representation).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// The super-resolution network: [3×3, 64, LReLU], three dense units [1×1, 64, LReLU → 3×3, 64, LReLU], a 1×1
/// convolution to d² channels added to the LR image tiled d² times, and a pixel shuffle (sub-pixel residual over
/// nearest-neighbour up-sampling). Y channel. Registered alone as <c>rsrnet-sr</c> (trained on bicubic LR).
/// </summary>
/// <remarks>
/// Dense wiring (the paper: "the l-th layer has k×l inputs", the 1×1 bottleneck as gate): unit u reads the
/// concatenation of the first layer's output and all earlier units' outputs (64, 128, 192 maps) and the final 1×1
/// reads all four (256). Receptive fields 5/7/9 for the three units match the paper's "{5, 7, 9}" streams.
/// Pixel-shuffle channel order c = d·row + column (PyTorch's); the paper's x/y convention is ambiguous and
/// irrelevant when training from scratch.
/// </remarks>
public sealed class SrNet : SrNetwork
{
    private readonly nn.Conv2d conv;
    private readonly nn.ModuleList<DenseUnit> units;
    private readonly nn.Conv2d reconstruct;
    private readonly double _slope;

    public SrNet(int scale, RsrNetOptions? options = null, ColorSpace colorSpace = ColorSpace.Y) : base(nameof(SrNet), scale, colorSpace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 2);
        var o = options ?? new RsrNetOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.Features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.DenseUnits);
        _slope = o.NegativeSlope;
        conv = new nn.Conv2d(Channels, o.Features, 3, padding: 1);
        NetworkInit.Msra(conv);
        units = new nn.ModuleList<DenseUnit>(Enumerable.Range(1, o.DenseUnits).Select(u => new DenseUnit(u * o.Features, o.Features, o.NegativeSlope)).ToArray());
        reconstruct = new nn.Conv2d((o.DenseUnits + 1) * o.Features, Channels * scale * scale, 1);
        NetworkInit.Gaussian(reconstruct, 0.001);
        RegisterComponents();
    }

    /// <summary>3×3 first layer + one 3×3 per dense unit: 4 LR pixels for the paper's model.</summary>
    public override int ReceptiveFieldRadius => 1 + units.Count;

    public override Tensor forward(Tensor lr)
    {
        using var scope = NewDisposeScope();
        var features = new List<Tensor> { F.leaky_relu(conv.call(lr), _slope) };
        foreach (var unit in units) features.Add(torch.cat(features, 1).Consume(unit.call));
        var residual = torch.cat(features, 1).Consume(reconstruct.call);
        // Eq. (4): tile L into d² channels (per colour channel) and add; the shuffle then places residual + L.
        long n = lr.size(0), c = lr.size(1), h = lr.size(2), w = lr.size(3), s2 = (long)Scale * Scale;
        var tiled = lr.unsqueeze(2).expand(n, c, s2, h, w).reshape(n, c * s2, h, w);
        return residual.Consume(r => r + tiled).Consume(t => F.pixel_shuffle(t, Scale)).MoveToOuterDisposeScope();
    }

    internal override string ExportOnnx(OnnxGraphBuilder g, string lr)
    {
        var features = new List<string> { g.LeakyRelu(g.Conv(conv, lr), _slope) };
        foreach (var unit in units) features.Add(unit.ExportOnnx(g, g.Concat(1, [.. features])));
        var residual = g.Conv(reconstruct, g.Concat(1, [.. features]));
        // Eq. (4) as forward: unsqueeze → expand to d² copies per channel → reshape to N×(C·d²)×h×w, added before the shuffle.
        long s2 = (long)Scale * Scale;
        var expanded = g.Node("Expand", [g.Unsqueeze(lr, 2), g.Int64(1, 1, s2, 1, 1)]);
        var shape = g.Concat(0, g.ShapeRange(lr, 0, 1), g.Int64(Channels * s2), g.ShapeRange(lr, 2, 4));
        var tiled = g.Reshape(expanded, shape);
        return g.PixelShuffle(g.Add(residual, tiled), Scale);
    }

    /// <summary>A dense unit: 1×1 bottleneck (the "gate" over long/short-term memory), LReLU, 3×3, LReLU.</summary>
    public sealed class DenseUnit : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Conv2d bottleneck;
        private readonly nn.Conv2d conv;
        private readonly double _slope;

        public DenseUnit(int inputs, int features, double slope) : base(nameof(DenseUnit))
        {
            _slope = slope;
            bottleneck = new nn.Conv2d(inputs, features, 1);
            conv = new nn.Conv2d(features, features, 3, padding: 1);
            NetworkInit.Msra(bottleneck);
            NetworkInit.Msra(conv);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var b = bottleneck.call(x);
            using var a = F.leaky_relu(b, _slope);
            using var c = conv.call(a);
            return F.leaky_relu(c, _slope);
        }

        internal string ExportOnnx(OnnxGraphBuilder g, string x) =>
            g.LeakyRelu(g.Conv(conv, g.LeakyRelu(g.Conv(bottleneck, x), _slope)), _slope);
    }
}
