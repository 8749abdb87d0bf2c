using System.Globalization;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// DN: bicubic downscaling, then additive white Gaussian noise of standard deviation σ (in 0..255 units), as RDN's
/// imresize_DN (σ = 30). The noise comes from a counter-based generator seeded by (seed, image index), so it does not
/// depend on libtorch's global generator or on the batch it is in. The result is clamped to [0,1] (an LR image file
/// cannot hold values outside it) but not rounded.
/// </summary>
public sealed class NoiseDegradation : IDegradation
{
    public NoiseDegradation(double sigma255 = 30, ResizeOptions? downscale = null)
    {
        if (!(sigma255 >= 0) || double.IsInfinity(sigma255)) throw new ArgumentOutOfRangeException(nameof(sigma255), sigma255, "σ must be ≥ 0 (0..255 units).");
        Sigma255 = sigma255;
        Downscale = downscale ?? ResizeOptions.Default;
    }

    public double Sigma255 { get; }
    public ResizeOptions Downscale { get; }
    public string Name => string.Create(CultureInfo.InvariantCulture, $"noise:{Sigma255:R}");

    public Tensor Apply(Tensor hr, int scale, long seed = 0)
    {
        Degradations.CheckInput(hr, scale);
        using var scope = torch.NewDisposeScope();
        var lr = MatlabResize.Downscale(hr, scale, Downscale);
        var s = lr.shape;
        long perImage = s[1] * s[2] * s[3];
        var noise = new float[s[0] * perImage];
        for (long n = 0; n < s[0]; n++) FillNormal(noise.AsSpan((int)(n * perImage), (int)perImage), seed, n, Sigma255 / 255.0);
        var result = lr.add(torch.tensor(noise, s).to(lr.dtype, lr.device)).clamp(0, 1);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Box–Muller normals from SplitMix64 of (seed, image, counter): reproducible on every platform.</summary>
    private static void FillNormal(Span<float> dst, long seed, long image, double std)
    {
        ulong state = Mix((ulong)seed * 0x9E3779B97F4A7C15UL ^ Mix((ulong)image + 0x632BE59BD9B4E019UL));
        for (int i = 0; i < dst.Length; i += 2)
        {
            double u1 = ((Next(ref state) >> 11) + 1.0) / 9007199254740993.0; // (0,1]
            double u2 = (Next(ref state) >> 11) / 9007199254740992.0;
            double r = Math.Sqrt(-2 * Math.Log(u1)) * std;
            dst[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < dst.Length) dst[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
        }
    }

    private static ulong Next(ref ulong state) => Mix(state += 0x9E3779B97F4A7C15UL);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
