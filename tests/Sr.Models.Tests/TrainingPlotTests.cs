using Sr.Models.Plotting;
using Sr.Models.Training;
using Sr.Torch.io;

namespace Sr.Models.Tests;

public class TrainingPlotTests
{
    [Fact]
    public void Nice_ticks_are_round_steps_of_one_two_or_five_covering_the_range()
    {
        Assert.Equal(new double[] { 0, 20, 40, 60, 80, 100 }, LinePlot.NiceTicks(0, 97, 6));
        // The step is the smallest 1/2/5·10^k at least (hi − lo)/(count − 1): 4.7/4 = 1.175 → 2.
        Assert.Equal(new double[] { 30, 32, 34, 36 }, LinePlot.NiceTicks(30.2, 34.9, 5));
        var small = LinePlot.NiceTicks(0.0012, 0.0049, 4); // 0.0037/3 → step 0.002
        Assert.Equal(new[] { 0, 0.002, 0.004, 0.006 }, small.Select(t => Math.Round(t, 12)));
    }

    [Fact]
    public void Log_ticks_are_one_two_five_values_bracketing_the_range()
    {
        var ticks = LinePlot.LogTicks(Math.Log10(0.0035), Math.Log10(0.031)).Select(t => Math.Round(Math.Pow(10, t), 12));
        Assert.Equal(new[] { 0.002, 0.005, 0.01, 0.02, 0.05 }, ticks);
    }

    [Fact]
    public void Training_curves_png_has_the_canvas_size_and_draws_the_loss_and_psnr_series()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "m.curves.png");
        var rows = new List<TrainingLog.Row>();
        for (int s = 10; s <= 500; s += 10) rows.Add(new(s, s * 0.1, 0.1 / Math.Sqrt(s), 1e-3, null, null));
        for (int s = 100; s <= 500; s += 100) rows.Add(new(s, s * 0.1, null, 1e-3, 30 + s / 100.0, null));
        TrainingCurves.WritePng(path, rows, "tiny x2");
        using var image = ImageFile.Read(path);
        Assert.Equal((TrainingCurves.Height, TrainingCurves.Width, 3), (image.Height, image.Width, image.Channels));
        var px = image.Pixels.data<byte>();
        int Count((byte r, byte g, byte b) c)
        {
            int n = 0;
            for (int i = 0; i < px.Length; i += 3) if (px[i] == c.r && px[i + 1] == c.g && px[i + 2] == c.b) n++;
            return n;
        }
        Assert.True(Count((31, 119, 180)) > 500, "the loss curve is missing");   // a 2-px line across most of the 824-px plot
        Assert.True(Count((214, 39, 40)) > 500, "the PSNR curve is missing");
    }
}
