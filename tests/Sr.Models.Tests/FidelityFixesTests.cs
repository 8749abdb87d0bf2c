using Sr.Models.Evaluation;
using Sr.Models.Losses;
using Sr.Models.Registry;
using Sr.Torch;

namespace Sr.Models.Tests;

public sealed class FidelityFixesTests
{
    [Fact]
    public void EuclideanSum_is_half_the_squared_error_summed_over_each_patch_and_averaged_over_the_batch()
    {
        torch.manual_seed(3);
        using var x = torch.rand([4, 1, 8, 6]);
        using var y = torch.rand([4, 1, 8, 6]);
        using var loss = PixelLosses.Distance(x, y, LossKind.EuclideanSum);
        var a = x.data<float>();
        var b = y.data<float>();
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (double)(a[i] - b[i]);
        Assert.Equal(sum / 2 / 4, loss.item<float>(), 4);
    }

    [Fact]
    public void The_btsrn_protocol_shaves_two_pixels_on_Y_at_every_scale()
    {
        var p = EvalProtocol.Parse("btsrn");
        Assert.Equal(Models.ColorSpace.Y, p.ColorSpace);
        Assert.All(new[] { 2, 3, 4 }, s => Assert.Equal(2, p.ShaveFor(s)));
        // At ×2 it is the y-shave protocol exactly (shave 2 = scale); at ×4 it keeps two more border pixels per side.
        var set5 = ImagingTestData.Path("Set5");
        var bicubic = SuperResolvers.Resolve("bicubic", 2);
        Assert.Equal(new SrEvaluator(EvalProtocol.YShave).EvaluateFolder(set5, bicubic, 2).MeanPsnr,
            new SrEvaluator(p).EvaluateFolder(set5, bicubic, 2).MeanPsnr, 12);
        var x4 = new SrEvaluator(p).EvaluateFolder(set5, SuperResolvers.Resolve("bicubic", 4), 4).MeanPsnr;
        Assert.NotEqual(28.4207, Math.Round(x4, 4));
        Assert.InRange(x4, 28.42 - 0.3, 28.42 + 0.3); // Table 4's bicubic column (VDSR's numbers, shave = scale) is 28.42
    }
}
