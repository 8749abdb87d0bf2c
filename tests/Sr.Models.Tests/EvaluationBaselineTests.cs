using Sr.Models.Evaluation;

namespace Sr.Models.Tests;

/// <summary>
/// The published bicubic baselines (RSRNet Table 3, Bicubic column; the same numbers as SRCNN/VDSR's tables) under the
/// y-shave protocol: within 0.01 dB and 0.001 SSIM.
/// </summary>
public class EvaluationBaselineTests
{
    [Theory]
    [InlineData("Set5", 2, 33.66, 0.9299)]
    [InlineData("Set5", 3, 30.39, 0.8682)]
    [InlineData("Set5", 4, 28.42, 0.8104)]
    [InlineData("Set14", 2, 30.24, 0.8688)]
    [InlineData("Set14", 3, 27.55, 0.7742)]
    [InlineData("Set14", 4, 26.00, 0.7027)]
    public void Bicubic_reproduces_the_published_baseline(string set, int scale, double psnr, double ssim)
    {
        var evaluator = new SrEvaluator(EvalProtocol.YShave);
        var report = evaluator.EvaluateFolder(ImagingTestData.Path(set), new BicubicResolver(), scale);
        Assert.Equal(set == "Set5" ? 5 : 14, report.MeasuredCount);
        Assert.Equal(report.Images.Count, report.MeasuredCount);
        Assert.InRange(report.MeanPsnr, psnr - 0.01, psnr + 0.01);
        Assert.InRange(report.MeanSsim, ssim - 0.001, ssim + 0.001);
    }
}
