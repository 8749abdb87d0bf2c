using Sr.Models.Imaging;
using Sr.Torch;

namespace Sr.Models.Tests;

public class ImagingColorTests
{
    private static Tensor Pixel(double r, double g, double b) => torch.tensor(new[] { r, g, b }, [1, 3, 1, 1]);

    [Theory]
    [InlineData(255, 0, 0, 81.481, 81)] // BasicSR's test vector: pure red
    [InlineData(255, 255, 255, 235.0, 235)]
    [InlineData(0, 0, 0, 16.0, 16)]
    public void Y_of_uint8_colours_matches_MATLAB_rgb2ycbcr(double r, double g, double b, double yFloat, double yUint8)
    {
        using var scope = torch.NewDisposeScope();
        var rgb255 = Pixel(r, g, b);
        Assert.Equal(yFloat, ColorConversion.RgbToY(rgb255, peak: 255).item<double>(), 9);
        Assert.Equal(yUint8, ColorConversion.RgbToY(rgb255, roundLikeUint8: true, peak: 255).item<double>());
        // the same on the [0,1] scale
        Assert.Equal(yFloat / 255, ColorConversion.RgbToY(rgb255.div(255)).item<double>(), 12);
    }

    [Fact]
    public void YCbCr_round_trip_returns_the_RGB_image()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(7);
        var rgb = torch.rand([2, 3, 8, 9], ScalarType.Float64);
        var back = ColorConversion.YCbCrToRgb(ColorConversion.RgbToYCbCr(rgb));
        Assert.True(back.sub(rgb).abs().max().item<double>() < 1e-12);
        var rgb32 = rgb.to(ScalarType.Float32);
        var back32 = ColorConversion.YCbCrToRgb(ColorConversion.RgbToYCbCr(rgb32));
        Assert.Equal(ScalarType.Float32, back32.dtype);
        Assert.True(back32.sub(rgb32).abs().max().item<double>() < 1e-6);
    }

    [Fact]
    public void Cb_and_Cr_of_gray_are_128_and_of_red_match_MATLAB()
    {
        using var scope = torch.NewDisposeScope();
        var gray = ColorConversion.RgbToYCbCr(Pixel(90, 90, 90), roundLikeUint8: true, peak: 255).data<double>();
        Assert.Equal([128.0, 128.0], gray[1..]);
        var red = ColorConversion.RgbToYCbCr(Pixel(255, 0, 0), peak: 255).data<double>();
        Assert.Equal(128 - 37.797, red[1], 9);
        Assert.Equal(128 + 112.0, red[2], 9);
    }

    [Fact]
    public void Uint8_conversion_rounds_half_away_from_zero_and_clamps()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { -3.0, 0.5, 1.5, 2.5, 254.49, 300 }, [1, 1, 1, 6]).div(255);
        var u8 = ImageTensor.ToHwcUint8(x);
        Assert.Equal([(byte)0, 1, 2, 3, 254, 255], u8.data<byte>());
    }

    [Fact]
    public void Uint8_to_float_and_back_is_lossless()
    {
        using var scope = torch.NewDisposeScope();
        var all = torch.arange(0, 256, 1, ScalarType.Float32).to(ScalarType.Byte).reshape(16, 16, 1);
        var back = ImageTensor.ToHwcUint8(ImageTensor.FromHwcUint8(all));
        Assert.Equal(all.data<byte>(), back.data<byte>());
    }

    [Fact]
    public void ModCrop_keeps_the_top_left_multiple_of_the_scale()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(0, 7 * 10, 1, ScalarType.Float32).reshape(1, 1, 7, 10);
        var c = ImageTensor.ModCrop(x, 3);
        Assert.Equal([1L, 1, 6, 9], c.shape);
        Assert.Equal(0f, c.data<float>()[0]);
        Assert.Equal(58f, c.data<float>()[^1]); // row 5, column 8
    }
}
