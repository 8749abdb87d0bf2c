// Balanced Two-Stage Residual Networks (Fan et al., NTIRE 2017 workshop): Fig. 1 (two stages) and Fig. 2(d) (PConv block),
// as in the official code ychfan/sr_ntire2017 model_resnet_up.py (notes §3.1).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// BTSRN: 6 PConv residual blocks on LR features, an up-sampling that sums nearest-neighbour and a stride-s transposed
/// convolution (two ×2 stages for ×4, with one more PConv block between them), 4 PConv blocks on HR features, and a
/// 1×1 output predicting the residual over bicubic. RGB.
/// </summary>
/// <remarks>
/// Paper vs. code, and our choices:
/// <list type="bullet">
/// <item>Activation: LeakyReLU 0.2 as the official code (<c>lrelu = 0.6x + 0.4|x|</c>); Fig. 2(d) draws ReLU.</item>
/// <item>×4 has an 11th PConv block between the two ×2 up-samplers (code; the paper's "6+4" does not mention it).</item>
/// <item>Input is LR − 0.5 (code). The residual base is MATLAB-style bicubic (a = −0.5, symmetric border) in floating
/// point; the official code used PIL's bicubic on uint8 (also a = −0.5, but clamped borders and rounded).</item>
/// <item>VALID mode pads the input by <see cref="ReceptiveFieldRadius"/> (8) LR pixels instead of the official 15: a
/// valid-convolution output pixel depends only on its receptive field, so both give the same pixels.</item>
/// <item>Initialisation: Glorot-uniform weights and zero biases (TensorFlow's defaults, as the official code).</item>
/// </list>
/// </remarks>
public sealed class Btsrn : SrNetwork
{
    private readonly nn.Conv2d conv_in;
    private readonly nn.ModuleList<PConvBlock> lr_conv;
    private readonly NearestPlusDeconvUpsampling? up, up1, up2;
    private readonly PConvBlock? up_conv;
    private readonly nn.ModuleList<PConvBlock> hr_conv;
    private readonly nn.Conv2d conv_out;
    private readonly BicubicUpsample bicubic;

    private readonly int _pad;
    private readonly int _crop;

    public Btsrn(int scale, BtsrnOptions? options = null) : base(nameof(Btsrn), scale, ColorSpace.Rgb)
    {
        if (scale is < 2 or > 4) throw new ArgumentOutOfRangeException(nameof(scale), scale, "BTSRN is defined for scales 2, 3 and 4.");
        Options = options ?? new BtsrnOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.LrBlocks);
        ArgumentOutOfRangeException.ThrowIfNegative(Options.HrBlocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Bottleneck);
        int c = Options.Channels, b = Options.Bottleneck;
        bool valid = Options.ValidConvolutions;

        conv_in = new nn.Conv2d(3, c, 1);
        lr_conv = new nn.ModuleList<PConvBlock>(Enumerable.Range(0, Options.LrBlocks).Select(_ => new PConvBlock(c, b, valid)).ToArray());
        if (scale == 4)
        {
            up1 = new NearestPlusDeconvUpsampling(c, 2, Options.FastUpsampling);
            up_conv = new PConvBlock(c, b, valid);
            up2 = new NearestPlusDeconvUpsampling(c, 2, Options.FastUpsampling);
        }
        else
        {
            up = new NearestPlusDeconvUpsampling(c, scale, Options.FastUpsampling);
        }
        hr_conv = new nn.ModuleList<PConvBlock>(Enumerable.Range(0, Options.HrBlocks).Select(_ => new PConvBlock(c, b, valid)).ToArray());
        conv_out = new nn.Conv2d(c, 3, 1);
        bicubic = new BicubicUpsample(scale);

        // VALID mode: the trunk loses LrBlocks LR pixels and (HrBlocks + 2 for ×4's middle block at ×2) HR pixels per side.
        int hrShrink = Options.HrBlocks + (scale == 4 ? 2 : 0);
        _pad = Options.LrBlocks + (hrShrink + scale - 1) / scale;
        _crop = scale * (_pad - Options.LrBlocks) - hrShrink;

        NetworkInit.Glorot(conv_in.weight, conv_in.bias);
        NetworkInit.Glorot(conv_out.weight, conv_out.bias);
        RegisterComponents();
    }

    public BtsrnOptions Options { get; }

    /// <summary>LR pixels each output pixel sees on each side (the VALID trunk's shrinkage, rounded up; 8 for the paper's model).</summary>
    public override int ReceptiveFieldRadius => _pad;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Options.ValidConvolutions ? F.pad(input, [_pad, _pad, _pad, _pad], nn.PaddingModes.Symmetric) : input.alias();
        var h = x.Consume(t => t - 0.5).Consume(conv_in.call);
        foreach (var block in lr_conv) h = h.Consume(block.call);
        if (Scale == 4)
        {
            h = h.Consume(up1!.call).Consume(up_conv!.call).Consume(up2!.call);
        }
        else
        {
            h = h.Consume(up!.call);
        }
        foreach (var block in hr_conv) h = h.Consume(block.call);
        var residual = h.Consume(t => F.leaky_relu(t, 0.2)).Consume(conv_out.call);
        if (Options.ValidConvolutions && _crop > 0)
        {
            long hh = input.size(2) * Scale, ww = input.size(3) * Scale;
            residual = residual.Consume(r => r.narrow(2, _crop, hh).Consume(t => t.narrow(3, _crop, ww)));
        }
        using var bicubicBase = bicubic.call(input);
        return residual.Consume(r => r + bicubicBase).MoveToOuterDisposeScope();
    }

    internal override string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        var x = Options.ValidConvolutions ? g.SymmetricPad(input, _pad) : input;
        var h = g.Conv(conv_in, g.Sub(x, 0.5f));
        foreach (var block in lr_conv) h = block.ExportOnnx(g, h);
        h = Scale == 4 ? up2!.ExportOnnx(g, up_conv!.ExportOnnx(g, up1!.ExportOnnx(g, h))) : up!.ExportOnnx(g, h);
        foreach (var block in hr_conv) h = block.ExportOnnx(g, h);
        var residual = g.Conv(conv_out, g.LeakyRelu(h, 0.2));
        if (Options.ValidConvolutions && _crop > 0)
        {
            // narrow(crop, s·H) and narrow(crop, s·W): the ends depend on the input's size, so they are computed in the graph.
            var ends = g.Add(g.Mul(g.ShapeRange(input, 2, 4), g.Int64(Scale)), g.Int64(_crop));
            residual = g.Slice(residual, g.Int64(_crop, _crop), ends, [2, 3]);
        }
        return g.Add(residual, g.BicubicUpsample(input, Scale, Channels));
    }

    /// <summary>The PConv block, pre-activation (Fig. 2(d)): x ⊕ conv3×3(lrelu(conv1×1(lrelu(x)))).</summary>
    public sealed class PConvBlock : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Conv2d project;
        private readonly nn.Conv2d conv;
        private readonly bool _valid;

        public PConvBlock(int channels, int bottleneck, bool valid) : base(nameof(PConvBlock))
        {
            _valid = valid;
            project = new nn.Conv2d(channels, bottleneck, 1);
            conv = new nn.Conv2d(bottleneck, channels, 3, padding: valid ? 0 : 1);
            NetworkInit.Glorot(project.weight, project.bias);
            NetworkInit.Glorot(conv.weight, conv.bias);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var y = F.leaky_relu(x, 0.2).Consume(project.call).Consume(t => F.leaky_relu(t, 0.2)).Consume(conv.call);
            if (!_valid) return x + y;
            // VALID 3×3: the shortcut is centre-cropped by one pixel (the official util.crop(x, 1)).
            using var shortcut = x.slice(2, 1, x.size(2) - 1).slice(3, 1, x.size(3) - 1);
            return shortcut + y;
        }

        internal string ExportOnnx(OnnxGraphBuilder g, string x)
        {
            var y = g.Conv(conv, g.LeakyRelu(g.Conv(project, g.LeakyRelu(x, 0.2)), 0.2));
            if (!_valid) return g.Add(x, y);
            return g.Add(g.Slice(x, [1, 1], [-1, -1], [2, 3]), y);
        }
    }

    /// <summary>Up-sampling by s (§3.2): nearest-neighbour(x) + ConvTranspose(k = s, stride = s)(lrelu(x)).</summary>
    public sealed class NearestPlusDeconvUpsampling : nn.Module<Tensor, Tensor>
    {
        private readonly nn.ConvTranspose2d deconv;
        private readonly int _scale;
        private readonly bool _fast;

        public NearestPlusDeconvUpsampling(int channels, int scale, bool fast) : base(nameof(NearestPlusDeconvUpsampling))
        {
            (_scale, _fast) = (scale, fast);
            deconv = new nn.ConvTranspose2d(channels, channels, scale, scale);
            NetworkInit.Glorot(deconv.weight, deconv.bias);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var a = F.leaky_relu(x, 0.2);
            long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), s2 = (long)_scale * _scale;
            if (!_fast)
            {
                using var nearest = F.interpolate(x, scale_factor: [_scale], mode: nn.InterpolationMode.Nearest);
                return a.Consume(deconv.call).Consume(t => nearest + t).MoveToOuterDisposeScope();
            }
            // Kernel = stride: every output pixel gets exactly one tap, so the transposed convolution is a 1×1
            // convolution to c·s² channels followed by a pixel shuffle (weight [in, out, s, s] → [out·s·s, in, 1, 1]).
            // The nearest-neighbour skip is x repeated s² times per channel before the same shuffle: added by
            // broadcasting over the s² sub-pixel positions at LR size, then everything is shuffled once.
            var w1 = deconv.weight.permute(1, 2, 3, 0).reshape(c * s2, c, 1, 1);
            var b1 = deconv.bias!.unsqueeze(1).expand(c, s2).reshape(c * s2);
            var skip = x.unsqueeze(2);
            var sum = a.Consume(t => F.conv2d(t, w1, b1))
                .Consume(t => t.reshape(n, c, s2, h, w))
                .Consume(t => t + skip)
                .Consume(t => t.reshape(n, c * s2, h, w));
            return sum.Consume(t => F.pixel_shuffle(t, _scale)).MoveToOuterDisposeScope();
        }

        internal string ExportOnnx(OnnxGraphBuilder g, string x)
        {
            var a = g.LeakyRelu(x, 0.2);
            if (!_fast) return g.Add(g.UpsampleNearest(x, _scale), g.ConvTranspose(deconv, a));
            // The fast path as forward: the deconvolution's weight rearranged to a 1×1 convolution, the skip added per
            // sub-pixel position at LR size, one shuffle.
            long c = deconv.out_channels, s2 = (long)_scale * _scale;
            using var w1 = deconv.weight.detach().permute(1, 2, 3, 0).reshape(c * s2, c, 1, 1).contiguous();
            using var b1 = deconv.bias!.detach().unsqueeze(1).expand(c, s2).reshape(c * s2).contiguous();
            var conv = g.Conv(a, g.Initializer("deconv_1x1", w1), g.Initializer("deconv_bias", b1), 1);
            var n = g.ShapeRange(x, 0, 1);
            var hw = g.ShapeRange(x, 2, 4);
            var split = g.Reshape(conv, g.Concat(0, n, g.Int64(c, s2), hw));
            var sum = g.Add(split, g.Unsqueeze(x, 2));
            var merged = g.Reshape(sum, g.Concat(0, n, g.Int64(c * s2), hw));
            return g.PixelShuffle(merged, _scale);
        }
    }
}
