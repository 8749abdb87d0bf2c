// ESRGAN (Wang et al., ECCVW 2018), Fig. 3–4: RRDBNet, the PSNR-oriented backbone SPSR builds its SR branch on
// (Ma et al., CVPR 2020, §3.2) and initialises from ("RRDB_PSNR_x4.pth").
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// conv(3→nf) → [nb × RRDB(nf) → conv] + long skip → nearest+conv up-sampling (LReLU) → conv + LReLU → conv(nf→3).
/// Keys follow upstream's old ESRGAN layout (<c>model.0</c>, <c>model.1.sub.N.RDB1.conv1.0</c>, <c>model.3</c>, <c>model.6</c>,
/// <c>model.8</c>, <c>model.10</c> at ×4) so a trained RRDBNet initialises SPSR's SR branch by name, as upstream does.
/// </summary>
public sealed class RrdbNet : SrNetwork
{
    public const int PaperFeatures = 64, PaperBlocks = 23, PaperGrowth = 32;

    private readonly nn.Sequential model;

    /// <param name="scale">2, 3 or 4 (upstream: two ×2 nearest+conv stages for ×4, one ×3 stage for ×3, one ×2 for ×2).</param>
    /// <param name="nf">Trunk features (paper 64).</param>
    /// <param name="nb">RRDBs (paper 23).</param>
    /// <param name="gc">RDB growth channels (paper 32).</param>
    public RrdbNet(int scale = 4, int nf = PaperFeatures, int nb = PaperBlocks, int gc = PaperGrowth) : base("RRDBNet", scale, ColorSpace.Rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nf);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nb);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gc);
        (Features, Blocks, Growth) = (nf, nb, gc);
        var trunk = new nn.Sequential(Array.Empty<nn.Module<Tensor, Tensor>>());
        for (int i = 0; i < nb; i++) trunk.append(new Rrdb(nf, gc));
        trunk.append(new nn.Conv2d(nf, nf, 3, padding: 1)); // LR_conv
        model = SpsrLayers.Flat([
            new nn.Conv2d(3, nf, 3, padding: 1),            // fea_conv
            new ShortcutBlock(trunk),
            .. SpsrLayers.Upsampler(scale, nf),
            SpsrLayers.ConvBlock(nf, nf, leakyRelu: true),  // HR_conv0
            SpsrLayers.ConvBlock(nf, 3),                    // HR_conv1 (the RGB reconstruction)
        ]);
        RegisterComponents();
        SpsrLayers.InitKaiming(this, 0.1);
    }

    public int Features { get; }
    public int Blocks { get; }
    public int Growth { get; }

    public override Tensor forward(Tensor lr)
    {
        ArgumentNullException.ThrowIfNull(lr);
        if (lr.dim() != 4 || lr.size(1) != 3) throw new ArgumentException($"RRDBNet expects N×3×h×w RGB, got [{string.Join(", ", lr.shape)}].", nameof(lr));
        return model.call(lr);
    }

    internal override string ExportOnnx(OnnxGraphBuilder g, string lr) => g.Module(model, lr);
}
