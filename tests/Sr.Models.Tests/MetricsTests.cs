using Sr.Models.Metrics;
using Sr.Torch;

namespace Sr.Models.Tests;

public class MetricsTests
{
    [Fact]
    public void Psnr_of_identical_images_is_positive_infinity_not_NaN()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.rand([2, 3, 16, 16]);
        Assert.All(Psnr.Compute(x, x.clone()), v => Assert.Equal(double.PositiveInfinity, v));
    }

    [Fact]
    public void Psnr_of_an_MSE_of_one_level_is_48_13_dB()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.full([1, 1, 8, 8], 100.0);
        var b = torch.full([1, 1, 8, 8], 101.0);
        Assert.Equal(10 * Math.Log10(255.0 * 255.0), Psnr.Compute(a, b, peak: 255)[0], 12); // 48.1308…
    }

    [Theory]
    [InlineData(SsimVariant.Standard)]
    [InlineData(SsimVariant.AutoDownsample)]
    public void Ssim_of_identical_images_is_exactly_one(SsimVariant variant)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var x = torch.rand([1, 3, 600, 520]);
        Assert.Equal(1.0, Ssim.Compute(x, x.clone(), variant)[0]);
    }

    [Fact]
    public void Ssim_drops_below_one_for_noise_and_is_symmetric()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var x = torch.rand([1, 1, 40, 40]);
        var y = x.add(torch.randn([1, 1, 40, 40]).mul(0.05)).clamp(0, 1);
        double s = Ssim.Compute(x, y)[0];
        Assert.InRange(s, 0.1, 0.99);
        Assert.Equal(s, Ssim.Compute(y, x)[0], 12);
    }

    [Theory]
    [InlineData(100, 100, 1)]
    [InlineData(383, 1000, 1)]  // 1.496 → 1
    [InlineData(384, 1000, 2)]  // 1.5 → 2 (MATLAB rounds half away from zero)
    [InlineData(644, 1024, 3)]  // Urban100 img_001 before shaving: 2.52 → 3
    public void Auto_downsample_factor_is_round_of_min_side_over_256(int h, int w, int f) =>
        Assert.Equal(f, Ssim.AutoDownsampleFactor(h, w));

    [Fact]
    public void Ssim_of_a_constant_shift_matches_the_closed_form()
    {
        // Constant images a and b: σ = 0, so SSIM = (2ab + C1)/(a² + b² + C1) everywhere.
        using var scope = torch.NewDisposeScope();
        double a = 100, b = 110, c1 = Math.Pow(0.01 * 255, 2);
        var x = torch.full([1, 1, 20, 20], a);
        var y = torch.full([1, 1, 20, 20], b);
        Assert.Equal((2 * a * b + c1) / (a * a + b * b + c1), Ssim.Compute(x, y, peak: 255)[0], 1e-12);
    }
}
