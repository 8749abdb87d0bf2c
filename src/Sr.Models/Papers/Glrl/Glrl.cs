// Image Super-Resolution Based on Global and Local Residual Learning (GLRL): Fig. 3 (framework) and Fig. 4(b) (local
// residual block with a shallow and a deep convolution branch); the 16-layer reading of notes §5.2.
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// GLRL on the bicubic-upscaled Y channel: two-layer PReLU feature extraction, stacked local residual blocks (LRB),
/// one reconstruction network shared by every block's output (each reconstruction plus the interpolated input is a
/// prediction), and a learned weighted average of the predictions.
/// </summary>
/// <remarks>
/// The paper leaves most of this open; our reading (notes §5.2), each point a choice:
/// <list type="bullet">
/// <item>Depth 16 = 2 extraction + 3 LRB × 4 (deep branch: 2 residual units × 2 convs) + 2 reconstruction; 3×3 convs, 64 maps.</item>
/// <item>Pre-activation (He et al.): PReLU before each conv from the second layer on; PReLU channel-wise (Caffe's default).</item>
/// <item>Deep branch = DRRN's recursive block: u_k = x + conv_b(PReLU(conv_a(PReLU(u_{k−1})))) with conv_a/conv_b (and their
/// PReLUs) shared across the units; shallow branch = one conv: x + conv_s(PReLU(x)). The block's output sums both
/// residuals: x + G_D + G_S (= deep + shallow − x).</item>
/// <item>Reconstruction R = conv(PReLU(conv(PReLU(·)))) shared across blocks (DRCN-style), y_b = R(x_b) + ILR; output
/// Σ w_b·y_b with learned scalars w_b initialised to 1/B. Only the average is supervised (the paper states one loss).</item>
/// <item>MSRA initialisation, zero biases (DRRN's solver files).</item>
/// </list>
/// </remarks>
public sealed class Glrl : SrNetwork
{
    private readonly BicubicUpsample upsample;
    private readonly nn.Conv2d extract1;
    private readonly nn.PReLU extract_act;
    private readonly nn.Conv2d extract2;
    private readonly nn.ModuleList<LocalResidualBlock> blocks;
    private readonly nn.PReLU reconstruct_act1;
    private readonly nn.Conv2d reconstruct1;
    private readonly nn.PReLU reconstruct_act2;
    private readonly nn.Conv2d reconstruct2;
    private readonly nn.Parameter weights;

    public Glrl(int scale, GlrlOptions? options = null) : base(nameof(Glrl), scale, ColorSpace.Y)
    {
        Options = options ?? new GlrlOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Blocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Units);
        int c = Options.Channels;
        upsample = new BicubicUpsample(scale);
        extract1 = Conv(1, c);
        extract_act = new nn.PReLU(c);
        extract2 = Conv(c, c);
        blocks = new nn.ModuleList<LocalResidualBlock>(Enumerable.Range(0, Options.Blocks).Select(_ => new LocalResidualBlock(c, Options.Units)).ToArray());
        reconstruct_act1 = new nn.PReLU(c);
        reconstruct1 = Conv(c, c);
        reconstruct_act2 = new nn.PReLU(c);
        reconstruct2 = Conv(c, 1);
        using (var w = full([Options.Blocks], 1.0 / Options.Blocks)) weights = new nn.Parameter(w);
        RegisterComponents();
    }

    public GlrlOptions Options { get; }

    internal static nn.Conv2d Conv(int cin, int cout)
    {
        var conv = new nn.Conv2d(cin, cout, 3, padding: 1);
        NetworkInit.Msra(conv);
        return conv;
    }

    /// <summary>Layers on the longest path, 2 + B·2U + 2 (16 for the paper), in HR pixels → LR pixels (rounded up), plus the bicubic's 2.</summary>
    public override int ReceptiveFieldRadius
    {
        get
        {
            int layers = 2 + Options.Blocks * 2 * Options.Units + 2;
            return (layers + Scale - 1) / Scale + 2;
        }
    }

    public override Tensor forward(Tensor lr)
    {
        using var scope = NewDisposeScope();
        var ilr = upsample.call(lr);
        var x = extract1.call(ilr).Consume(extract_act.call).Consume(extract2.call);
        Tensor? output = null;
        for (int b = 0; b < blocks.Count; b++)
        {
            x = x.Consume(blocks[b].call);
            using var w = weights.select(0, b);
            var prediction = reconstruct_act1.call(x)
                .Consume(reconstruct1.call).Consume(reconstruct_act2.call).Consume(reconstruct2.call)
                .Consume(r => r + ilr).Consume(p => p * w);
            output = output is null ? prediction : output.Consume(o => o + prediction);
            if (!ReferenceEquals(output, prediction)) prediction.Dispose();
        }
        x.Dispose();
        return output!.MoveToOuterDisposeScope();
    }

    internal override string ExportOnnx(OnnxGraphBuilder g, string lr)
    {
        var ilr = g.BicubicUpsample(lr, Scale, Channels);
        var x = g.Conv(extract2, g.PRelu(extract_act, g.Conv(extract1, ilr)));
        using var w = weights.detach();
        var blockWeights = w.data<float>();
        string? output = null;
        for (int b = 0; b < blocks.Count; b++)
        {
            x = blocks[b].ExportOnnx(g, x);
            var r = g.Conv(reconstruct2, g.PRelu(reconstruct_act2, g.Conv(reconstruct1, g.PRelu(reconstruct_act1, x))));
            var prediction = g.Mul(g.Add(r, ilr), blockWeights[b]);
            output = output is null ? prediction : g.Add(output, prediction);
        }
        return output!;
    }

    /// <summary>LRB (Fig. 4(b)): a DRRN-style recursive deep branch and a one-conv shallow branch, both residual on the block input.</summary>
    public sealed class LocalResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly nn.PReLU act_a, act_b, act_s;
        private readonly nn.Conv2d conv_a, conv_b, conv_s;
        private readonly int _units;

        public LocalResidualBlock(int channels, int units) : base(nameof(LocalResidualBlock))
        {
            _units = units;
            act_a = new nn.PReLU(channels);
            conv_a = Conv(channels, channels);
            act_b = new nn.PReLU(channels);
            conv_b = Conv(channels, channels);
            act_s = new nn.PReLU(channels);
            conv_s = Conv(channels, channels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var deep = x.alias();
            for (int u = 0; u < _units; u++)
                deep = deep.Consume(act_a.call).Consume(conv_a.call).Consume(act_b.call).Consume(conv_b.call).Consume(r => x + r);
            using var shallowResidual = act_s.call(x).Consume(conv_s.call);
            return deep.Consume(d => d + shallowResidual).MoveToOuterDisposeScope();
        }

        internal string ExportOnnx(OnnxGraphBuilder g, string x)
        {
            var deep = x;
            for (int u = 0; u < _units; u++)
                deep = g.Add(x, g.Conv(conv_b, g.PRelu(act_b, g.Conv(conv_a, g.PRelu(act_a, deep)))));
            var shallowResidual = g.Conv(conv_s, g.PRelu(act_s, x));
            return g.Add(deep, shallowResidual);
        }
    }
}
