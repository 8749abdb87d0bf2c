// SPSR (Ma et al., CVPR 2020, §3.3) and ESRGAN/SRGAN: the VGG-style discriminator Discriminator_VGG_128 used for both
// D_I (images) and D_GM (gradient maps) in the official code (Maclory/SPSR architecture.py); TPAMI 2021 Eq. 15 for D_SF.
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// Ten conv layers (k3 s1 / k4 s2 alternating; BatchNorm after all but the first; LeakyReLU 0.2), channels
/// 64-64-128-128-256-256-512-512-512-512, then Linear(512·4·4 → 100) → LReLU → Linear(100 → 1) giving one logit.
/// Five stride-2 stages take 128×128 (and upstream's 130×130 gradient maps: 130→65→32→16→8→4) to 4×4.
/// Parameters at 3 input channels: 14,502,281 (conv biases kept under BN, as upstream).
/// </summary>
public sealed class VggDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly nn.Sequential features;
    private readonly nn.Sequential classifier;

    /// <param name="inChannels">3 for images and gradient maps; the NSE's 32 for the structure discriminator.</param>
    /// <param name="downsamplingStages">
    /// Stride-2 stages (5 for 128-pixel inputs). The structure discriminator of SPSR-P/-J sees 1/4-resolution features
    /// (32×32 for a 128 patch); the paper says only "small differences for the feature scale", so we keep every layer
    /// and turn the first (5 − stages) k4/s2 convs into k3/s1 convs: 3 stages take 32×32 to the same 4×4×512.
    /// </param>
    /// <param name="nf">Base width (64).</param>
    public VggDiscriminator(int inChannels = 3, int downsamplingStages = 5, int nf = 64) : base("Discriminator_VGG_128")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nf);
        if (downsamplingStages is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(downsamplingStages), downsamplingStages, "Between 1 and 5 stride-2 stages.");
        DownsamplingStages = downsamplingStages;
        long[] widths = [nf, nf, 2 * nf, 2 * nf, 4 * nf, 4 * nf, 8 * nf, 8 * nf, 8 * nf, 8 * nf];
        features = new nn.Sequential(Array.Empty<nn.Module<Tensor, Tensor>>());
        long inCh = inChannels;
        for (int i = 0; i < widths.Length; i++)
        {
            bool strided = i % 2 == 1 && (i / 2) >= 5 - downsamplingStages;
            features.append(strided ? new nn.Conv2d(inCh, widths[i], 4, stride: 2, padding: 1) : new nn.Conv2d(inCh, widths[i], 3, padding: 1));
            if (i > 0) features.append(new BatchNorm(widths[i]));
            features.append(nn.LeakyReLU(0.2));
            inCh = widths[i];
        }
        classifier = new nn.Sequential(new nn.Linear(8 * nf * 4 * 4, 100), nn.LeakyReLU(0.2), new nn.Linear(100, 1));
        RegisterComponents();
        SpsrLayers.InitKaiming(this, 1);
    }

    public int DownsamplingStages { get; }

    /// <summary>One logit per sample (N×1). The input's side must come down to 4 through the stride-2 stages.</summary>
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var f = features.call(x);
        if (f.size(2) != 4 || f.size(3) != 4)
            throw new ArgumentException($"The discriminator ({DownsamplingStages} stride-2 stages) needs inputs that reduce to 4×4 (e.g. {4 << DownsamplingStages}×{4 << DownsamplingStages}); [{string.Join(", ", x.shape)}] gives {f.size(2)}×{f.size(3)}.", nameof(x));
        return classifier.call(f.flatten(1)).MoveToOuterDisposeScope();
    }
}
