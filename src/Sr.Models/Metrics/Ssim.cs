using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Metrics;

/// <summary>
/// SSIM of Wang et al. 2004 on the 0..255 scale: 11×11 Gaussian window σ = 1.5 (normalised), C1 = (0.01·255)²,
/// C2 = (0.03·255)², statistics over the valid region only (filter2(…, 'valid')), mean of the SSIM map; for several
/// channels the mean of the per-channel values (BasicSR). Identical images give exactly 1.
/// </summary>
public static class Ssim
{
    public const int WindowSize = 11;
    public const double WindowSigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;

    private static readonly double[] Window1D = MakeWindow();

    /// <summary>One SSIM per image of two N×C×H×W tensors with values in [0, <paramref name="peak"/>] (computed in float64).</summary>
    public static double[] Compute(Tensor a, Tensor b, SsimVariant variant = SsimVariant.Standard, double peak = 1.0)
    {
        MetricChecks.SameShape(a, b);
        var s = a.shape;
        using var scope = torch.NewDisposeScope();
        double k = 255.0 / peak;
        var x = a.to(ScalarType.Float64).mul(k).reshape(s[0] * s[1], 1, s[2], s[3]);
        var y = b.to(ScalarType.Float64).mul(k).reshape(s[0] * s[1], 1, s[2], s[3]);
        if (variant == SsimVariant.AutoDownsample)
        {
            int f = AutoDownsampleFactor(s[2], s[3]);
            x = BoxDownsample(x, f);
            y = BoxDownsample(y, f);
        }
        if (x.shape[2] < WindowSize || x.shape[3] < WindowSize)
            throw new ArgumentException($"SSIM needs at least {WindowSize}×{WindowSize} pixels, got {x.shape[3]}×{x.shape[2]} (after shaving/downsampling).");
        var perChannel = SsimMaps(x, y).mean([1, 2, 3]).reshape(s[0], s[1]).mean(1).data<double>();
        return perChannel;
    }

    /// <summary>f = max(1, round(min(H, W)/256)), round half away from zero as MATLAB.</summary>
    public static int AutoDownsampleFactor(long height, long width) =>
        Math.Max(1, (int)Math.Round(Math.Min(height, width) / 256.0, MidpointRounding.AwayFromZero));

    private static Tensor SsimMaps(Tensor x, Tensor y)
    {
        const double c1 = (K1 * 255) * (K1 * 255), c2 = (K2 * 255) * (K2 * 255);
        long n = x.shape[0];
        // The five filterings at once: x, y, x², y², xy as a batch of single-channel images.
        var stacked = torch.cat([x, y, x * x, y * y, x * y], 0);
        var filtered = Filter(stacked);
        var mu1 = filtered.narrow(0, 0, n);
        var mu2 = filtered.narrow(0, n, n);
        var mu1Sq = mu1 * mu1;
        var mu2Sq = mu2 * mu2;
        var mu12 = mu1 * mu2;
        var s1 = filtered.narrow(0, 2 * n, n) - mu1Sq;
        var s2 = filtered.narrow(0, 3 * n, n) - mu2Sq;
        var s12 = filtered.narrow(0, 4 * n, n) - mu12;
        return (mu12 * 2 + c1) * (s12 * 2 + c2) / ((mu1Sq + mu2Sq + c1) * (s1 + s2 + c2));
    }

    /// <summary>The 11×11 Gaussian, valid region, applied as two 1-D passes (it is an outer product).</summary>
    private static Tensor Filter(Tensor t)
    {
        var v = torch.tensor(Window1D, [1, 1, WindowSize, 1]);
        var h = torch.tensor(Window1D, [1, 1, 1, WindowSize]);
        return F.conv2d(F.conv2d(t, v), h);
    }

    /// <summary>imfilter(img, ones(f)/f², 'symmetric', 'same') then img(1:f:end, 1:f:end).</summary>
    private static Tensor BoxDownsample(Tensor t, int f)
    {
        if (f == 1) return t;
        int before = (f + 1) / 2 - 1, after = f - 1 - before;
        var padded = F.pad(t, [before, after, before, after], torch.nn.PaddingModes.Symmetric);
        // avg over each f×f window starting at every f-th sample == box filter then subsample.
        return F.avg_pool2d(padded, f, f);
    }

    private static double[] MakeWindow()
    {
        // fspecial('gaussian', 11, 1.5) = outer(g, g) with g normalised; no value falls below eps·max here.
        var g = new double[WindowSize];
        double c = (WindowSize - 1) / 2.0, sum = 0;
        for (int i = 0; i < WindowSize; i++) sum += g[i] = Math.Exp(-(i - c) * (i - c) / (2 * WindowSigma * WindowSigma));
        for (int i = 0; i < WindowSize; i++) g[i] /= sum;
        return g;
    }
}
