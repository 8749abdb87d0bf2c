using System.Globalization;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// BD: Gaussian blur (fspecial('gaussian', k, σ), 'replicate' border) then bicubic downscaling, as RDN's imresize_BD
/// (k = 7, σ = 1.6). Deviation: RDN blurs the uint8 image (imfilter rounds); here the blur is in float, like the rest of
/// the protocol.
/// </summary>
public sealed class BlurDownDegradation : IDegradation
{
    private readonly double[] _kernel;

    public BlurDownDegradation(double sigma = 1.6, int kernelSize = 7, ResizeOptions? downscale = null)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be positive.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        Sigma = sigma;
        KernelSize = kernelSize;
        Downscale = downscale ?? ResizeOptions.Default;
        _kernel = GaussianKernel(kernelSize, sigma);
    }

    public double Sigma { get; }
    public int KernelSize { get; }
    public ResizeOptions Downscale { get; }
    public string Name => string.Create(CultureInfo.InvariantCulture, $"blur:{Sigma:R}:{KernelSize}");

    /// <summary>MATLAB's fspecial('gaussian', k, σ): exp(−(x²+y²)/2σ²) on a k×k grid centred at (k−1)/2, tiny values zeroed, normalised.</summary>
    public static double[] GaussianKernel(int size, double sigma)
    {
        var h = new double[size * size];
        double c = (size - 1) / 2.0, max = 0, sum = 0;
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                double y = i - c, x = j - c;
                h[i * size + j] = Math.Exp(-(x * x + y * y) / (2 * sigma * sigma));
                max = Math.Max(max, h[i * size + j]);
            }
        for (int i = 0; i < h.Length; i++)
        {
            if (h[i] < double.Epsilon * max) h[i] = 0;
            sum += h[i];
        }
        for (int i = 0; i < h.Length; i++) h[i] /= sum;
        return h;
    }

    /// <summary>The blur alone: imfilter(x, h, 'replicate', 'same') (correlation; centre at floor((k+1)/2) as MATLAB).</summary>
    public Tensor Blur(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = torch.NewDisposeScope();
        long c = x.shape[1];
        int before = (KernelSize + 1) / 2 - 1, after = KernelSize - 1 - before;
        var padded = torch.nn.functional.pad(x, [before, after, before, after], torch.nn.PaddingModes.Replicate);
        var w = torch.tensor(_kernel, [1, 1, KernelSize, KernelSize]).to(x.dtype, x.device).expand(c, 1, KernelSize, KernelSize).contiguous();
        return torch.nn.functional.conv2d(padded, w, groups: c).MoveToOuterDisposeScope();
    }

    public Tensor Apply(Tensor hr, int scale, long seed = 0)
    {
        Degradations.CheckInput(hr, scale);
        using var scope = torch.NewDisposeScope();
        return MatlabResize.Downscale(Blur(hr), scale, Downscale).MoveToOuterDisposeScope();
    }
}
