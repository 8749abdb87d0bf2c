// Learning Reduced-Resolution and Super-Resolution Networks in Synchrony (Cai et al.): RRNet, Table 2 (upper half),
// Eq. (1) super-pixel residual, Fig. 4.
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// The reduced-resolution network: L = Q-BReLU(AvgPool_d(H) + conv_{d×d, stride d}(trunk(H))), trunk = three
/// [3×3, 64, LReLU] layers. Learns a down-scaler without an LR target.
/// </summary>
/// <remarks>
/// The paper's average-pool window Ω_{d·(x,y)−⌊d/2⌋} is ambiguous about its origin; with no padding listed we use
/// AvgPool2d(d, stride d), so both paths give ⌊H/d⌋×⌊W/d⌋ and stay aligned.
/// </remarks>
public sealed class RrNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Sequential trunk;
    private readonly nn.Conv2d down;
    private readonly QuantizedBoundedReLU qbrelu;
    private readonly int _scale;

    public RrNet(int scale, int channels = 1, RsrNetOptions? options = null) : base(nameof(RrNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 2);
        var o = options ?? new RsrNetOptions();
        _scale = scale;
        var c1 = new nn.Conv2d(channels, o.Features, 3, padding: 1);
        var c2 = new nn.Conv2d(o.Features, o.Features, 3, padding: 1);
        var c3 = new nn.Conv2d(o.Features, o.Features, 3, padding: 1);
        foreach (var c in new[] { c1, c2, c3 }) NetworkInit.Msra(c);
        trunk = new nn.Sequential(c1, nn.LeakyReLU(o.NegativeSlope), c2, nn.LeakyReLU(o.NegativeSlope), c3, nn.LeakyReLU(o.NegativeSlope));
        down = new nn.Conv2d(o.Features, channels, scale, stride: scale);
        // Table 2: the residual layer starts near zero (Gaussian σ = 0.001), so L starts as the super-pixel mean.
        NetworkInit.Gaussian(down, 0.001);
        qbrelu = new QuantizedBoundedReLU(o.Levels, o.TMin, o.TMax);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hr)
    {
        using var scope = NewDisposeScope();
        var superPixelMean = F.avg_pool2d(hr, _scale);
        var residual = down.call(trunk.call(hr));
        return qbrelu.call(superPixelMean + residual).MoveToOuterDisposeScope();
    }

    /// <summary>The forward as ONNX: AveragePool(d, stride d) + conv_d(trunk(H)), then Q-BReLU's inference value.</summary>
    internal string ExportOnnx(OnnxGraphBuilder g, string hr)
    {
        var superPixelMean = g.Node("AveragePool", [hr], OnnxGraphBuilder.Attr("kernel_shape", _scale, _scale), OnnxGraphBuilder.Attr("strides", _scale, _scale));
        var residual = g.Conv(down, g.Module(trunk, hr));
        return qbrelu.ExportOnnx(g, g.Add(superPixelMean, residual));
    }
}
