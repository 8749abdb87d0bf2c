using System.Text.Json.Nodes;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Training;
using Sr.Models.Upscaling;
using Sr.Torch;

namespace Sr.Models.Tests;

public sealed class UpscalingReducerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-reduce-{Guid.NewGuid():N}");

    public UpscalingReducerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RsrNet TinyRsrNet(int scale)
    {
        torch.manual_seed(11);
        var net = new RsrNet(scale, new RsrNetOptions { Features = 8, DenseUnits = 1 });
        net.eval();
        return net;
    }

    [Fact]
    public void A_colour_image_is_reduced_on_Y_by_RRNet_and_on_CbCr_by_bicubic_after_a_mod_crop()
    {
        using var net = TinyRsrNet(3);
        using var scope = torch.NewDisposeScope();
        var rgb = torch.rand([1, 3, 26, 19]).mul(0.5).add(0.25); // mid-range: no clamping on the way back to RGB
        var lr = ImageReducer.Reduce(rgb, net);
        Assert.Equal([1L, 3, 8, 6], lr.shape);

        var ycbcr = ColorConversion.RgbToYCbCr(ImageTensor.ModCrop(rgb, 3));
        Tensor expectedY, expectedCbCr;
        using (torch.inference_mode())
            expectedY = net.Reduce(ycbcr.narrow(1, 0, 1).contiguous()).clone();
        expectedCbCr = MatlabResize.Downscale(ycbcr.narrow(1, 1, 2), 3);
        var actual = ColorConversion.RgbToYCbCr(lr);
        Assert.True(actual.narrow(1, 0, 1).sub(expectedY).abs().max().item<float>() < 1e-5f);
        Assert.True(actual.narrow(1, 1, 2).sub(expectedCbCr).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Gray_stays_one_channel_and_alpha_is_kept()
    {
        using var net = TinyRsrNet(2);
        using var scope = torch.NewDisposeScope();
        var grayAlpha = torch.rand([1, 2, 10, 12]);
        var lr = ImageReducer.Reduce(grayAlpha, net);
        Assert.Equal([1L, 2, 5, 6], lr.shape);
        Tensor expected;
        using (torch.inference_mode()) expected = net.Reduce(grayAlpha.narrow(1, 0, 1).contiguous()).clone();
        Assert.Equal(0f, lr.narrow(1, 0, 1).sub(expected).abs().max().item<float>());
        Assert.True(lr.narrow(1, 1, 1).sub(MatlabResize.Downscale(grayAlpha.narrow(1, 1, 1), 2)).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Load_takes_a_trained_rsrnet_file_and_refuses_anything_that_cannot_reduce()
    {
        var rsr = Path.Combine(_dir, "rsr.srm");
        using (var net = TinyRsrNet(2)) ModelFile.Save(rsr, net, "rsrnet", new JsonObject { ["Features"] = 8, ["DenseUnits"] = 1 });
        using (var loaded = ImageReducer.Load(rsr)) Assert.IsType<RsrNet>(loaded);
        Assert.Contains("×2 model, but ×4", Assert.Throws<ArgumentException>(() => ImageReducer.Load(rsr, 4)).Message);

        var srcnn = Path.Combine(_dir, "srcnn.srm");
        using (var net = new Srcnn(2)) ModelFile.Save(srcnn, net, "srcnn");
        var e = Assert.Throws<ArgumentException>(() => ImageReducer.Load(srcnn));
        Assert.Contains("srcnn.srm", e.Message);
        Assert.Contains("only rsrnet models", e.Message);
        Assert.Contains("needs trained weights", Assert.Throws<ArgumentException>(() => ImageReducer.Load("rsrnet")).Message);
        Assert.Throws<FileNotFoundException>(() => ImageReducer.Load(Path.Combine(_dir, "missing.srm")));
    }
}
