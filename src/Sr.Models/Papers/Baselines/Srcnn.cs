// Image Super-Resolution Using Deep Convolutional Networks (Dong et al., ECCV 2014 / TPAMI 2016): the 9-1-5 SRCNN
// (patch extraction, non-linear mapping, reconstruction; their Fig. 2), the baseline the papers compare against.
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// SRCNN on the bicubic-upscaled Y channel: conv f1×f1 → n1, ReLU; conv f2×f2 → n2, ReLU; conv f3×f3 → 1. The network
/// takes LR and up-scales it itself with MATLAB's bicubic (<see cref="BicubicUpsample"/>).
/// </summary>
/// <remarks>
/// Choice: 'same' zero padding, so the output has the full HR size; the original trains valid convolutions on
/// 33×33 sub-images and its output is 12 pixels smaller per dimension. Zero biases as the paper; weights He/MSRA
/// instead of the paper's N(0, 0.001²) (see <see cref="SrcnnOptions.InitStd"/>).
/// </remarks>
public sealed class Srcnn : SrNetwork
{
    private readonly BicubicUpsample upsample;
    private readonly nn.Conv2d conv1, conv2, conv3;

    public Srcnn(int scale, SrcnnOptions? options = null) : base(nameof(Srcnn), scale, ColorSpace.Y)
    {
        Options = options ?? new SrcnnOptions();
        foreach (var k in new[] { Options.F1, Options.F2, Options.F3 })
            if (k <= 0 || k % 2 == 0) throw new ArgumentException($"SRCNN kernel sizes must be odd and positive, got {k}.", nameof(options));
        upsample = new BicubicUpsample(scale);
        conv1 = new nn.Conv2d(1, Options.N1, Options.F1, padding: Options.F1 / 2);
        conv2 = new nn.Conv2d(Options.N1, Options.N2, Options.F2, padding: Options.F2 / 2);
        conv3 = new nn.Conv2d(Options.N2, 1, Options.F3, padding: Options.F3 / 2);
        foreach (var c in new[] { conv1, conv2, conv3 })
            if (Options.InitStd > 0) NetworkInit.Gaussian(c, Options.InitStd); else NetworkInit.Msra(c);
        RegisterComponents();
    }

    public SrcnnOptions Options { get; }

    /// <summary>(f1 + f2 + f3 − 3)/2 HR pixels (6 for 9-1-5) → LR pixels, plus the bicubic's 2.</summary>
    public override int ReceptiveFieldRadius => ((Options.F1 + Options.F2 + Options.F3 - 3) / 2 + Scale - 1) / Scale + 2;

    public override Tensor forward(Tensor lr)
    {
        using var scope = NewDisposeScope();
        return upsample.call(lr)
            .Consume(conv1.call).Consume(F.relu)
            .Consume(conv2.call).Consume(F.relu)
            .Consume(conv3.call).MoveToOuterDisposeScope();
    }

    internal override string ExportOnnx(OnnxGraphBuilder g, string lr)
    {
        var x = g.BicubicUpsample(lr, Scale, Channels);
        x = g.Relu(g.Conv(conv1, x));
        x = g.Relu(g.Conv(conv2, x));
        return g.Conv(conv3, x);
    }
}
