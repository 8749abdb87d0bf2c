// ESRGAN (Wang et al., ECCVW 2018), Fig. 4: the residual dense block (RDB) inside RRDB, as used by SPSR
// (Ma et al., CVPR 2020, Fig. 3) for the SR branch, the gradient blocks and the fusion block.
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// Five 3×3 convs with dense connections (growth <c>gc</c> channels each), LeakyReLU 0.2 after the first four, and the
/// 0.2-scaled residual: out = 0.2·conv5([x, x1, x2, x3, x4]) + x. Parameters: Σ_{i=0..3} ((nc + i·gc)·gc·9 + gc) + ((nc + 4gc)·nc·9 + nc).
/// </summary>
public sealed class ResidualDenseBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>ESRGAN's residual scaling: keeps the 23×3 stacked residuals stable at the start of training.</summary>
    public const double ResidualScale = 0.2;

    private readonly nn.Sequential conv1, conv2, conv3, conv4, conv5;

    public ResidualDenseBlock(long nc, long gc = 32) : base("ResidualDenseBlock_5C")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nc);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gc);
        conv1 = SpsrLayers.ConvBlock(nc, gc, leakyRelu: true);
        conv2 = SpsrLayers.ConvBlock(nc + gc, gc, leakyRelu: true);
        conv3 = SpsrLayers.ConvBlock(nc + 2 * gc, gc, leakyRelu: true);
        conv4 = SpsrLayers.ConvBlock(nc + 3 * gc, gc, leakyRelu: true);
        conv5 = SpsrLayers.ConvBlock(nc + 4 * gc, nc);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x1 = conv1.call(x);
        var x2 = conv2.call(cat([x, x1], 1));
        var x3 = conv3.call(cat([x, x1, x2], 1));
        var x4 = conv4.call(cat([x, x1, x2, x3], 1));
        var x5 = conv5.call(cat([x, x1, x2, x3, x4], 1));
        return x5.mul(ResidualScale).add(x).MoveToOuterDisposeScope();
    }

    string IOnnxExportable.ExportOnnx(OnnxGraphBuilder g, string x)
    {
        var x1 = g.Module(conv1, x);
        var x2 = g.Module(conv2, g.Concat(1, x, x1));
        var x3 = g.Module(conv3, g.Concat(1, x, x1, x2));
        var x4 = g.Module(conv4, g.Concat(1, x, x1, x2, x3));
        var x5 = g.Module(conv5, g.Concat(1, x, x1, x2, x3, x4));
        return g.Add(g.Mul(x5, (float)ResidualScale), x);
    }
}
