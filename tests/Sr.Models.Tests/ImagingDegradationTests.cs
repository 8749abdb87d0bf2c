using Sr.Models.Imaging;
using Sr.Torch;

namespace Sr.Models.Tests;

public class ImagingDegradationTests
{
    [Theory]
    [InlineData("bicubic", "bicubic")]
    [InlineData("BI", "bicubic")]
    [InlineData("bilinear", "bilinear")]
    [InlineData("nearest", "nearest")]
    [InlineData("bd", "blur:1.6:7")]
    [InlineData("blur:2", "blur:2:7")]
    [InlineData("blur:2.5:15", "blur:2.5:15")]
    [InlineData("dn", "noise:30")]
    [InlineData("noise:15", "noise:15")]
    [InlineData("jpeg:40", "jpeg:40")]
    public void Names_parse_and_round_trip(string text, string name)
    {
        var d = Degradations.Parse(text);
        Assert.Equal(name, d.Name);
        Assert.Equal(name, Degradations.Parse(d.Name).Name);
    }

    [Theory]
    [InlineData("gaussian")]
    [InlineData("jpeg:0")]
    [InlineData("noise:abc")]
    [InlineData("blur:-1")]
    public void Bad_names_are_refused_with_the_name(string text) =>
        Assert.Contains(text, Assert.Throws<ArgumentException>(() => Degradations.Parse(text)).Message);

    [Theory]
    [InlineData("bicubic")]
    [InlineData("bd")]
    [InlineData("noise:30")]
    [InlineData("jpeg:40")]
    public void Each_degradation_is_deterministic_and_gives_the_LR_size(string name)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        var hr = torch.rand([2, 3, 48, 36]);
        var d = Degradations.Parse(name);
        var a = d.Apply(hr, 3, seed: 11);
        var b = d.Apply(hr, 3, seed: 11);
        Assert.Equal([2L, 3, 16, 12], a.shape);
        Assert.True(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void Noise_depends_on_the_seed_and_has_the_requested_sigma()
    {
        using var scope = torch.NewDisposeScope();
        var hr = torch.full([1, 1, 384, 384], 0.5);
        var d = new NoiseDegradation(30);
        var a = d.Apply(hr, 2, seed: 1);
        var b = d.Apply(hr, 2, seed: 2);
        Assert.False(a.eq(b).all().item<bool>());
        double std = a.sub(0.5).mul(255).std().item<double>();
        Assert.InRange(std, 29.5, 30.5);
    }

    [Fact]
    public void Gaussian_kernel_is_MATLAB_fspecial_normalised_and_blur_keeps_constants()
    {
        var k = BlurDownDegradation.GaussianKernel(7, 1.6);
        Assert.Equal(1.0, k.Sum(), 12);
        Assert.Equal(k[0], k[48], 15);
        Assert.True(k[24] > k[23]);
        using var scope = torch.NewDisposeScope();
        var flat = torch.full([1, 2, 20, 20], 0.3);
        var blurred = new BlurDownDegradation().Blur(flat);
        Assert.Equal(flat.shape, blurred.shape);
        Assert.True(blurred.sub(0.3).abs().max().item<double>() < 1e-6);
    }

    [Fact]
    public void Jpeg_output_is_on_uint8_levels_and_close_to_the_bicubic_LR()
    {
        using var scope = torch.NewDisposeScope();
        var hr = ImageTensor.FromHwcUint8(Sr.Torch.io.ImageFile.Read(ImagingTestData.Path("Set5", "bird.png")).Pixels);
        var lr = new JpegDegradation(90).Apply(hr, 2);
        var bi = ResizeDegradation.Bicubic.Apply(hr, 2);
        var levels = lr.mul(255);
        Assert.True(levels.sub(levels.round()).abs().max().item<double>() < 1e-4);
        // Luma is not chroma-subsampled: at quality 90 it stays within a level or two of the bicubic LR on average.
        var dy = ColorConversion.RgbToY(lr).sub(ColorConversion.RgbToY(bi)).abs().mean().item<double>() * 255;
        Assert.InRange(dy, 0.01, 2);
    }
}
