using Sr.Torch;

namespace Sr.Models.Metrics;

/// <summary>
/// Peak signal-to-noise ratio on the 0..255 scale: 10·log10(255² / MSE), the MSE over all channels and pixels of an image
/// (BasicSR's calculate_psnr; for RGB this is the joint MSE, not a mean of per-channel PSNRs). Identical images have an
/// MSE of 0 and a PSNR of +∞, returned as <see cref="double.PositiveInfinity"/> (never NaN).
/// </summary>
public static class Psnr
{
    /// <summary>One PSNR per image of two N×C×H×W tensors with values in [0, <paramref name="peak"/>] (computed in float64).</summary>
    public static double[] Compute(Tensor a, Tensor b, double peak = 1.0)
    {
        MetricChecks.SameShape(a, b);
        using var scope = torch.NewDisposeScope();
        double k = 255.0 / peak;
        var diff = a.to(ScalarType.Float64).sub(b.to(ScalarType.Float64)).mul(k);
        var mse = diff.square().mean([1, 2, 3]).data<double>();
        return mse.Select(FromMse).ToArray();
    }

    /// <summary>PSNR of one MSE on the 0..255 scale; +∞ for an MSE of 0.</summary>
    public static double FromMse(double mse255)
    {
        if (double.IsNaN(mse255) || mse255 < 0) throw new ArgumentOutOfRangeException(nameof(mse255), mse255, "An MSE must be ≥ 0.");
        return mse255 == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse255);
    }
}
