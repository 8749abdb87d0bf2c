using Sr.Models.Evaluation;
using Sr.Models.Training;
using Sr.Plots;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

[Collection("cli")]
public sealed class PlotTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-plot-{Guid.NewGuid():N}");

    public PlotTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Log_ticks_are_one_two_five_per_decade_or_every_mantissa_within_a_decade()
    {
        var (ticks, labels) = TrainingCurvesPlot.LogTicks(Math.Log10(0.0035), Math.Log10(0.031));
        Assert.Equal(new[] { 0.002, 0.005, 0.01, 0.02, 0.05 }, ticks.Select(t => Math.Round(Math.Pow(10, t), 12)));
        Assert.Equal(new[] { "0.002", "0.005", "0.01", "0.02", "0.05" }, labels);
        // 0.0035…0.0045: 1-2-5 brackets it with two ticks only (0.002, 0.005), so every mantissa is used.
        var (narrow, _) = TrainingCurvesPlot.LogTicks(Math.Log10(0.0035), Math.Log10(0.0045));
        Assert.Equal(new[] { 0.003, 0.004, 0.005 }, narrow.Select(t => Math.Round(Math.Pow(10, t), 12)));
    }

    [Fact]
    public void Training_curves_draw_loss_in_both_top_panels_and_psnr_in_both_bottom_panels()
    {
        var rows = new List<TrainingLog.Row>();
        for (int s = 10; s <= 500; s += 10) rows.Add(new(s, s * 0.9, 0.1 / Math.Sqrt(s), 1e-3, null, null));
        for (int s = 100; s <= 500; s += 100) rows.Add(new(s, s * 0.9 + 5, null, 1e-3, 30 + s / 100.0, 0.9));
        var path = Path.Combine(_dir, "tiny.curves.png");
        new TrainingCurvesPlot().WritePng(path, rows);
        using var image = ImageFile.Read(path);
        Assert.Equal((TrainingCurvesPlot.Height, TrainingCurvesPlot.Width), (image.Height, image.Width));
        var px = image.Pixels.data<byte>();
        for (int quadrant = 0; quadrant < 4; quadrant++)
        {
            var color = quadrant < 2 ? TrainingCurvesPlot.LossColor : TrainingCurvesPlot.PsnrColor;
            Assert.True(CountNear(px, image.Width, image.Channels, quadrant, color) > 150, $"quadrant {quadrant} lacks its curve");
        }
        Assert.Empty(Directory.GetFiles(_dir, "*tmp*"));
    }

    [Fact]
    public void A_run_without_validation_gets_no_psnr_curve_but_the_loss_curves()
    {
        var rows = Enumerable.Range(1, 30).Select(i => new TrainingLog.Row(i * 10, i * 3.0, 0.05 / i, 1e-4, null, null)).ToList();
        var png = TrainingCurvesPlot.Render(rows, "no-val");
        var path = Path.Combine(_dir, "nv.png");
        File.WriteAllBytes(path, png);
        using var image = ImageFile.Read(path);
        var px = image.Pixels.data<byte>();
        Assert.True(CountNear(px, image.Width, image.Channels, 0, TrainingCurvesPlot.LossColor) > 150);
        Assert.Equal(0, CountNear(px, image.Width, image.Channels, 2, TrainingCurvesPlot.PsnrColor));
        Assert.Equal(0, CountNear(px, image.Width, image.Channels, 3, TrainingCurvesPlot.PsnrColor));
    }

    [Fact]
    public void Comparison_figure_shows_each_region_enlarged_by_a_whole_factor_exactly_and_draws_text()
    {
        // A 40×40 gradient: every pixel distinct enough that a shifted or smoothed crop would not match.
        const int n = 40;
        var gt = new byte[n * n * 3];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                (gt[(y * n + x) * 3], gt[(y * n + x) * 3 + 1], gt[(y * n + x) * 3 + 2]) = ((byte)(6 * x), (byte)(6 * y), (byte)((x * y) % 256));
        var gray = Enumerable.Range(0, n * n).Select(i => (byte)(i % 200)).ToArray();
        var comparison = new MethodComparisonResult(2, new ComparisonImage(gray, n, n, 1), [new ComparisonEntry("method", 31.25, 0.875)],
            [new ComparisonImage(gray, n, n, 1)], new ComparisonImage(gt, n, n, 3), (Top: 4, Left: 8, Size: 10));
        var path = Path.Combine(_dir, "cmp.png");
        var layout = ComparisonFigure.WritePng(path, comparison);
        using var image = ImageFile.Read(path);
        Assert.Equal((layout.Height, layout.Width, 3), (image.Height, image.Width, image.Channels)); // opaque: an RGB PNG
        Assert.Equal(4, layout.Zoom); // 40-px panel / 10-px region
        var px = image.Pixels.data<byte>();
        int gtX0 = 12 + 2 * (layout.CellWidth + 12); // the third panel: ground truth
        for (int y = 0; y < 10 * layout.Zoom; y++)
            for (int x = 0; x < 10 * layout.Zoom; x++)
            {
                int o = ((layout.CropTop + y) * image.Width + gtX0 + x) * 3, s = ((4 + y / layout.Zoom) * n + 8 + x / layout.Zoom) * 3;
                Assert.True(px[o] == gt[s] && px[o + 1] == gt[s + 1] && px[o + 2] == gt[s + 2], $"crop pixel ({x},{y}) differs");
            }
        // Text: the title/score band under each panel has dark (ink) pixels; a panel's worth of background has none.
        int ink = 0;
        for (int y = layout.TextTop; y < layout.CropTop; y++)
            for (int x = 12; x < 12 + layout.CellWidth; x++)
                if (px[(y * image.Width + x) * 3] < 100) ink++;
        Assert.True(ink > 100, $"only {ink} ink pixels under the first panel");
        Assert.Equal("PSNR 31.25 dB · SSIM 0.8750", ComparisonFigure.ScoreText(comparison.Entries[0]));
    }

    [Fact]
    public void Sr_plot_redraws_a_shipped_runs_curves_and_refuses_a_file_that_is_not_a_log()
    {
        var log = Path.Combine(CliRunner.RepoRoot, "training-runs", "ten-minutes", "srcnn-x2", "srcnn.log.csv");
        var output = Path.Combine(_dir, "srcnn.curves.png");
        var (code, stdout, err) = CliRunner.Run("plot", log, "-o", output);
        Assert.True(code == 0, err);
        Assert.Contains("validations", stdout);
        using (var image = ImageFile.Read(output)) Assert.Equal((TrainingCurvesPlot.Height, TrainingCurvesPlot.Width), (image.Height, image.Width));

        var notLog = Path.Combine(_dir, "x.csv");
        File.WriteAllText(notLog, "a,b\n1,2\n");
        (code, _, err) = CliRunner.Run("plot", notLog);
        Assert.Equal(2, code);
        Assert.Contains("x.csv: not a training log", err);
    }

    /// <summary>Pixels within a small distance of <paramref name="c"/> in one quadrant (0 top-left, 1 top-right, 2, 3 below).</summary>
    private static int CountNear(byte[] px, int width, int channels, int quadrant, (byte R, byte G, byte B) c)
    {
        int height = px.Length / channels / width, n = 0;
        int x0 = quadrant % 2 * width / 2, y0 = quadrant / 2 * height / 2;
        for (int y = y0; y < y0 + height / 2; y++)
            for (int x = x0; x < x0 + width / 2; x++)
            {
                int o = (y * width + x) * channels;
                if (Math.Abs(px[o] - c.R) + Math.Abs(px[o + 1] - c.G) + Math.Abs(px[o + 2] - c.B) < 24) n++;
            }
        return n;
    }
}
