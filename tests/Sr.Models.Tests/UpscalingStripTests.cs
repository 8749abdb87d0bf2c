using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Tests;

/// <summary>The bounded-memory paths of the main job give the same numbers as the whole-image tensor path.</summary>
public class UpscalingStripTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void UpscaleRows_gives_each_strip_of_the_whole_image_resize_bit_for_bit(int scale)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var x = torch.rand([1, 2, 37, 53], dtype);
            var whole = MatlabResize.Upscale(x, scale);
            long h = 37 * scale;
            foreach (var (a, b) in new[] { (0L, 1L), (0L, 7L), (5L, 40L), (h - 9, h), (17L, h) })
                Assert.True(MaxDiff(MatlabResize.UpscaleRows(x, scale, a, b), whole.narrow(2, a, b - a)) == 0, $"{dtype} rows {a}..{b}");
        }
    }

    [Fact]
    public void Downscaling_rows_of_a_width_first_resize_equal_the_whole_resize()
    {
        // Height scale larger than width scale: MATLAB goes width first; the strip reads only the rows its taps need.
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(6);
        var x = torch.rand([1, 1, 40, 60], ScalarType.Float64);
        var whole = MatlabResize.Resize(x, 80, 30);
        Assert.Equal([1L, 1, 80, 30], whole.shape);
        var gathered = MatlabResize.Weights(40, 80, 2.0);
        var dense = torch.tensor(gathered, [80, 40]).matmul(x.matmul(torch.tensor(MatlabResize.Weights(60, 30, 0.5), [30, 60]).t()));
        Assert.True(whole.sub(dense).abs().max().item<double>() < 1e-12);
    }

    [Theory]
    [InlineData("Set5/baby.png", 2)]
    [InlineData("Set14/monarch.png", 3)]
    public void The_strip_path_of_an_RGB_picture_equals_the_tensor_path_bit_for_bit(string file, int scale)
    {
        using var scope = torch.NewDisposeScope();
        using var image = ImageFile.Read(ImagingTestData.Path(file.Split('/')));
        var method = new BicubicResolver();
        using var strips = ImageUpscaler.Upscale(image, method, scale); // 3 channels, 8 bits, a Y method: strips
        using var converted = ImageTensor.FromDecoded(image, AlphaHandling.Keep);
        var reference = ImageTensor.ToHwcUint8(ImageUpscaler.Upscale(converted.Image, method, scale));
        Assert.Equal(reference.shape, strips.Pixels.shape);
        Assert.Equal(0, MaxDiff(reference, strips.Pixels));
    }

    private static double MaxDiff(Tensor a, Tensor b) => a.to(ScalarType.Float64).sub(b.to(ScalarType.Float64)).abs().max().item<double>();
}
