// SPSR (Ma et al., CVPR 2020 "Structure-Preserving Super Resolution with Gradient Guidance", Fig. 3; TPAMI 2021):
// the generator with SR branch, gradient branch and fusion block, wired as upstream's SPSRNet (Maclory/SPSR architecture.py).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// SR branch: ESRGAN's RRDBNet without its RGB conv (<c>HR_conv1_new</c> gives 64 features instead). Gradient branch
/// (at LR): the LR gradient map → conv, then four stages cat(previous, trunk feature after RRDB 5/10/15/20) → RRDB(2nf)
/// → conv(2nf→nf), an LR conv with skip, its own up-sampler and two HR convs (x_branch); a 1×1 conv turns x_branch into
/// the SR gradient map. Fusion: cat(x_branch, SR features) → RRDB(2nf) → conv → conv+LReLU → conv(nf→3) = SR image.
/// ×4 has 24,796,230 parameters (SR branch 16,733,184 + gradient branch 6,456,835 + fusion 1,606,211);
/// ×2/×3 have one up-sampling stage per branch (2 × 36,928 fewer): 24,722,374.
/// </summary>
public sealed class SpsrNet : SrNetwork
{
    /// <summary>The generator's three outputs, as upstream's tuple <c>(x_out_branch, x_out, x_grad)</c>.</summary>
    /// <param name="GradientMap">The gradient branch's SR gradient map (N×3×H×W), supervised by the branch loss.</param>
    /// <param name="Image">The SR image (N×3×H×W).</param>
    /// <param name="LrGradient">The gradient map of the LR input that fed the branch (N×3×h×w).</param>
    public sealed record Output(Tensor GradientMap, Tensor Image, Tensor LrGradient) : IDisposable
    {
        public void Dispose()
        {
            GradientMap.Dispose();
            Image.Dispose();
            LrGradient.Dispose();
        }
    }

    // Field names are upstream's: they are the state-dict keys of its released SPSR.pth (minus the alias
    // HR_conv0_new.*, which upstream registers twice — once inside model — and we keep only inside model).
    private readonly nn.Sequential model;
    private readonly nn.Sequential HR_conv1_new;
    private readonly nn.Sequential b_fea_conv;
    private readonly Rrdb b_block_1, b_block_2, b_block_3, b_block_4;
    private readonly nn.Sequential b_concat_1, b_concat_2, b_concat_3, b_concat_4;
    private readonly nn.Sequential b_LR_conv;
    private readonly nn.Sequential b_module;
    private readonly nn.Sequential conv_w;
    private readonly Rrdb f_block;
    private readonly nn.Sequential f_concat, f_HR_conv0, f_HR_conv1;

    private readonly int[] _taps;

    // Not a field: RegisterComponents would register the trunk a second time under the field's name.
    private ShortcutBlock Trunk => (ShortcutBlock)model[1];

    /// <param name="scale">2, 3 or 4.</param>
    /// <param name="nf">Features (paper 64); the gradient and fusion RRDBs run at 2·nf.</param>
    /// <param name="nb">SR-branch RRDBs (paper 23).</param>
    /// <param name="gc">RDB growth channels in every RRDB (paper 32).</param>
    public SpsrNet(int scale = 4, int nf = RrdbNet.PaperFeatures, int nb = RrdbNet.PaperBlocks, int gc = RrdbNet.PaperGrowth)
        : base("SPSRNet", scale, ColorSpace.Rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nf);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nb);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gc);
        (Features, Blocks, Growth) = (nf, nb, gc);
        _taps = GradientTaps(nb);

        var trunk = new nn.Sequential(Array.Empty<nn.Module<Tensor, Tensor>>());
        for (int i = 0; i < nb; i++) trunk.append(new Rrdb(nf, gc));
        trunk.append(new nn.Conv2d(nf, nf, 3, padding: 1)); // LR_conv
        model = SpsrLayers.Flat([
            new nn.Conv2d(3, nf, 3, padding: 1),              // fea_conv
            new ShortcutBlock(trunk),
            .. SpsrLayers.Upsampler(scale, nf),
            SpsrLayers.ConvBlock(nf, nf, leakyRelu: true),    // HR_conv0_new
        ]);
        HR_conv1_new = SpsrLayers.ConvBlock(nf, nf);

        b_fea_conv = SpsrLayers.ConvBlock(3, nf);
        (b_block_1, b_block_2, b_block_3, b_block_4) = (new Rrdb(2 * nf, gc), new Rrdb(2 * nf, gc), new Rrdb(2 * nf, gc), new Rrdb(2 * nf, gc));
        (b_concat_1, b_concat_2, b_concat_3, b_concat_4) =
            (SpsrLayers.ConvBlock(2 * nf, nf), SpsrLayers.ConvBlock(2 * nf, nf), SpsrLayers.ConvBlock(2 * nf, nf), SpsrLayers.ConvBlock(2 * nf, nf));
        b_LR_conv = SpsrLayers.ConvBlock(nf, nf);
        b_module = SpsrLayers.Flat([
            .. SpsrLayers.Upsampler(scale, nf),
            SpsrLayers.ConvBlock(nf, nf, leakyRelu: true),    // b_HR_conv0
            SpsrLayers.ConvBlock(nf, nf),                     // b_HR_conv1 → x_branch
        ]);
        conv_w = SpsrLayers.ConvBlock(nf, 3, kernel: 1);

        f_block = new Rrdb(2 * nf, gc);
        f_concat = SpsrLayers.ConvBlock(2 * nf, nf);
        f_HR_conv0 = SpsrLayers.ConvBlock(nf, nf, leakyRelu: true);
        f_HR_conv1 = SpsrLayers.ConvBlock(nf, 3);
        RegisterComponents();
        SpsrLayers.InitKaiming(this, 0.1);
    }

    public int Features { get; }
    public int Blocks { get; }
    public int Growth { get; }

    /// <summary>
    /// After which RRDB (1-based; 0 = the trunk input) each of the four gradient stages taps the SR branch. Upstream
    /// (nb = 23) taps after 5, 10, 15, 20 = ⌊k·(nb+2)/5⌋; we keep that formula for other depths (nb = 4 → 1, 2, 3, 4),
    /// clamped to nb, so a small SPSR keeps the four evenly spread taps. This generalisation is ours.
    /// </summary>
    public static int[] GradientTaps(int nb) => [.. Enumerable.Range(1, 4).Select(k => Math.Min(nb, k * (nb + 2) / 5))];

    /// <summary>The SR image only (the <see cref="SrNetwork"/> contract).</summary>
    public override Tensor forward(Tensor lr)
    {
        using var all = ForwardAll(lr);
        return all.Image.alias();
    }

    /// <summary>All three outputs, as upstream's forward.</summary>
    public Output ForwardAll(Tensor lr)
    {
        ArgumentNullException.ThrowIfNull(lr);
        if (lr.dim() != 4 || lr.size(1) != 3) throw new ArgumentException($"SPSR expects N×3×h×w RGB, got [{string.Join(", ", lr.shape)}].", nameof(lr));
        using var scope = NewDisposeScope();
        var x_grad = ImageGradient.Magnitude(lr, ImageGradient.BranchPadding);

        // SR branch, tapping the trunk for the gradient branch.
        var trunk = Trunk;
        var x_ori = model[0].call(lr);
        var taps = new Tensor[4];
        var x = x_ori;
        for (int k = 0; k < 4; k++) if (_taps[k] == 0) taps[k] = x_ori;
        for (int i = 0; i < Blocks; i++)
        {
            x = trunk.sub[i].call(x);
            for (int k = 0; k < 4; k++) if (_taps[k] == i + 1) taps[k] = x;
        }
        x = trunk.sub[Blocks].call(x).add(x_ori);                  // LR_conv + long skip
        for (int i = 2; i < model.Count; i++) x = model[i].call(x); // up-sampling, HR_conv0_new
        x = HR_conv1_new.call(x);

        // Gradient branch at LR, fed by the trunk features.
        var x_b_fea = b_fea_conv.call(x_grad);
        var b = b_concat_1.call(b_block_1.call(cat([x_b_fea, taps[0]], 1)));
        b = b_concat_2.call(b_block_2.call(cat([b, taps[1]], 1)));
        b = b_concat_3.call(b_block_3.call(cat([b, taps[2]], 1)));
        b = b_concat_4.call(b_block_4.call(cat([b, taps[3]], 1)));
        b = b_LR_conv.call(b).add(x_b_fea);
        var x_branch = b_module.call(b);
        var x_out_branch = conv_w.call(x_branch);

        // Fusion block.
        var f = f_concat.call(f_block.call(cat([x_branch, x], 1)));
        var x_out = f_HR_conv1.call(f_HR_conv0.call(f));
        return new Output(x_out_branch.MoveToOuterDisposeScope(), x_out.MoveToOuterDisposeScope(), x_grad.MoveToOuterDisposeScope());
    }

    /// <summary>The SR image of <see cref="ForwardAll"/> as ONNX (the gradient-branch outputs are training targets, not exported).</summary>
    internal override string ExportOnnx(OnnxGraphBuilder g, string lr)
    {
        var x_grad = ImageGradient.ExportOnnx(g, lr, 3, ImageGradient.BranchPadding);
        var trunk = Trunk;
        var x_ori = g.Module(model[0], lr);
        var taps = new string[4];
        var x = x_ori;
        for (int k = 0; k < 4; k++) if (_taps[k] == 0) taps[k] = x_ori;
        for (int i = 0; i < Blocks; i++)
        {
            x = g.Module(trunk.sub[i], x);
            for (int k = 0; k < 4; k++) if (_taps[k] == i + 1) taps[k] = x;
        }
        x = g.Add(g.Module(trunk.sub[Blocks], x), x_ori);
        for (int i = 2; i < model.Count; i++) x = g.Module(model[i], x);
        x = g.Module(HR_conv1_new, x);
        var x_b_fea = g.Module(b_fea_conv, x_grad);
        var b = g.Module(b_concat_1, g.Module(b_block_1, g.Concat(1, x_b_fea, taps[0])));
        b = g.Module(b_concat_2, g.Module(b_block_2, g.Concat(1, b, taps[1])));
        b = g.Module(b_concat_3, g.Module(b_block_3, g.Concat(1, b, taps[2])));
        b = g.Module(b_concat_4, g.Module(b_block_4, g.Concat(1, b, taps[3])));
        b = g.Add(g.Module(b_LR_conv, b), x_b_fea);
        var x_branch = g.Module(b_module, b);
        var f = g.Module(f_concat, g.Module(f_block, g.Concat(1, x_branch, x)));
        return g.Module(f_HR_conv1, g.Module(f_HR_conv0, f));
    }

    /// <summary>
    /// Upstream's initialisation from a PSNR-oriented RRDBNet (its <c>RRDB_PSNR_x4.pth</c>, loaded non-strictly): every
    /// weight whose name and shape match — the whole SR branch except <c>HR_conv1_new</c>, which upstream renamed so the
    /// RGB conv of RRDBNet (<c>model.10</c>) is not loaded into the 64-channel feature conv. Returns the names copied.
    /// </summary>
    public IReadOnlyList<string> InitializeFromRrdb(IReadOnlyDictionary<string, Tensor> rrdbStateDict)
    {
        ArgumentNullException.ThrowIfNull(rrdbStateDict);
        var own = state_dict();
        var matching = rrdbStateDict.Where(kv => own.TryGetValue(kv.Key, out var t) && t.shape.SequenceEqual(kv.Value.shape)).ToDictionary(kv => kv.Key, kv => kv.Value);
        if (matching.Count == 0) throw new ArgumentException("No RRDBNet weight matches this SPSR generator by name and shape (different nf/nb/gc or scale?).", nameof(rrdbStateDict));
        load_state_dict(matching, strict: false);
        return [.. matching.Keys];
    }

    /// <summary>
    /// Upstream's fusion-only phase (<c>Branch_pretrain</c>) trains only parameters whose name contains "f_"
    /// (f_block, f_concat, f_HR_conv0/1). The same substring test, so an upstream checkpoint's names behave the same.
    /// </summary>
    public static bool IsFusionParameter(string name) => name.Contains("f_", StringComparison.Ordinal);
}
