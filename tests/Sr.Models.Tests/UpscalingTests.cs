using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Tests;

public class UpscalingTests
{
    private static DecodedImage Synthetic(int channels, int h = 12, int w = 10)
    {
        var rng = new Random(5);
        var px = new byte[h * w * channels];
        rng.NextBytes(px);
        return new DecodedImage(torch.tensor(px, [h, w, channels]), 8, $"synthetic-{channels}ch");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Output_keeps_the_channel_layout_and_is_scale_times_larger(int channels)
    {
        using var img = Synthetic(channels);
        using var up = ImageUpscaler.Upscale(img, new BicubicResolver(ColorSpace.Y), 3);
        Assert.Equal(new long[] { 36, 30, channels }, up.Pixels.shape);
        Assert.Equal(ScalarType.Byte, up.Pixels.dtype);
    }

    [Fact]
    public void Alpha_is_upscaled_like_matlab_bicubic_and_kept()
    {
        using var img = Synthetic(4);
        using var up = ImageUpscaler.Upscale(img, new BicubicResolver(ColorSpace.Y), 2);
        using var scope = torch.NewDisposeScope();
        var alpha = ImageTensor.FromHwcUint8(img.Pixels.narrow(2, 3, 1));
        var expected = ImageTensor.ToHwcUint8(MatlabResize.Upscale(alpha, 2).clamp(0, 1));
        Assert.Equal(expected.data<byte>(), up.Pixels.narrow(2, 3, 1).contiguous().data<byte>());
    }

    [Fact]
    public void A_y_method_on_colour_keeps_chroma_equal_to_bicubic_chroma()
    {
        // With bicubic as the Y method, the whole result must equal bicubic on Y, Cb and Cr separately.
        using var img = Synthetic(3);
        using var up = ImageUpscaler.Upscale(img, new BicubicResolver(ColorSpace.Y), 2);
        using var scope = torch.NewDisposeScope();
        var rgb = ImageTensor.FromHwcUint8(img.Pixels);
        var ycc = ColorConversion.RgbToYCbCr(rgb);
        var expected = ImageTensor.ToHwcUint8(ColorConversion.YCbCrToRgb(MatlabResize.Upscale(ycc, 2)).clamp(0, 1));
        var diff = expected.to(ScalarType.Int32).sub(up.Pixels.to(ScalarType.Int32)).abs().max().item<int>();
        Assert.True(diff <= 1, $"max difference {diff}");
    }

    [Fact]
    public void Unsupported_scale_is_refused_with_the_method_name()
    {
        using var img = Synthetic(3);
        var e = Assert.Throws<ArgumentException>(() => ImageUpscaler.Upscale(img, new OnlyX2(), 3));
        Assert.Contains("only-x2", e.Message);
        Assert.Contains("×3", e.Message);
    }

    private sealed class OnlyX2 : ISuperResolver
    {
        public string Name => "only-x2";
        public ColorSpace ColorSpace => ColorSpace.Y;
        public IReadOnlyList<int> Scales => [2];
        public Tensor Upscale(Tensor lr, int scale) => throw new InvalidOperationException("not reached");
    }
}
