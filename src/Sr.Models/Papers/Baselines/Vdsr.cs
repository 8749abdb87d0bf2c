// Accurate Image Super-Resolution Using Very Deep Convolutional Networks (Kim et al., CVPR 2016): VDSR, their Fig. 2
// (20 layers of 3×3×64, ReLU, global residual on the interpolated input), the baseline the papers compare against.
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// VDSR on the bicubic-upscaled Y channel: conv 1→64 + ReLU, 18 × (conv 64→64 + ReLU), conv 64→1, plus the
/// interpolated input. The network takes LR and up-scales with MATLAB's bicubic (<see cref="BicubicUpsample"/>).
/// </summary>
/// <remarks>Zero padding keeps the size (as VDSR pads zeros); He (MSRA) initialisation, zero biases, as the paper.</remarks>
public sealed class Vdsr : SrNetwork
{
    private readonly BicubicUpsample upsample;
    private readonly nn.ModuleList<nn.Conv2d> layers;

    public Vdsr(int scale, VdsrOptions? options = null) : base(nameof(Vdsr), scale, ColorSpace.Y)
    {
        Options = options ?? new VdsrOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Depth, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Channels);
        upsample = new BicubicUpsample(scale);
        int c = Options.Channels;
        layers = new nn.ModuleList<nn.Conv2d>();
        for (int i = 0; i < Options.Depth; i++)
        {
            var conv = new nn.Conv2d(i == 0 ? 1 : c, i == Options.Depth - 1 ? 1 : c, 3, padding: 1);
            NetworkInit.Msra(conv);
            layers.Add(conv);
        }
        RegisterComponents();
    }

    public VdsrOptions Options { get; }

    /// <summary>One HR pixel per layer, in LR pixels (rounded up), plus the bicubic's 2.</summary>
    public override int ReceptiveFieldRadius => (Options.Depth + Scale - 1) / Scale + 2;

    public override Tensor forward(Tensor lr)
    {
        using var scope = NewDisposeScope();
        var ilr = upsample.call(lr);
        var x = ilr.alias();
        for (int i = 0; i < layers.Count - 1; i++) x = x.Consume(layers[i].call).Consume(F.relu);
        return x.Consume(layers[^1].call).Consume(r => r + ilr).MoveToOuterDisposeScope();
    }

    internal override string ExportOnnx(OnnxGraphBuilder g, string lr)
    {
        var ilr = g.BicubicUpsample(lr, Scale, Channels);
        var x = ilr;
        for (int i = 0; i < layers.Count - 1; i++) x = g.Relu(g.Conv(layers[i], x));
        return g.Add(g.Conv(layers[^1], x), ilr);
    }
}
