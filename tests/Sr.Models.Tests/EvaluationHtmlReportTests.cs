using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Tests;

public sealed class EvaluationHtmlReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-html-{Guid.NewGuid():N}");

    public EvaluationHtmlReportTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EvalReport Report(params EvalImageResult[] rows) =>
        new("Set5", 2, EvalProtocol.YShave, "bicubic-y", "bicubic", rows);

    [Fact]
    public void Render_has_the_summary_every_row_escaped_and_embedded_crops()
    {
        var report = Report(
            new EvalImageResult("a<b>&c.png", 64, 48, 30.123, 0.9, 0.01),
            new EvalImageResult("plain.png", 64, 48, 32.5, 0.95, 0.02),
            EvalImageResult.Skip("notes.txt", "not an image file"));
        using var pixel = torch.zeros([2, 2, 3], ScalarType.Byte);
        var png = HtmlReport.DataUri(ImageFile.Encode(pixel));
        var crops = new[] { new HtmlReport.Crops("plain.png", png, png, png, 4, 8, 16, 10) };
        var html = HtmlReport.Render(report, crops, new ReportProvenance("9.8.7", DateTimeOffset.UnixEpoch, "sr eval --x", "m.srm", "ab12"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("a&lt;b&gt;&amp;c.png", html);
        Assert.DoesNotContain("a<b>", html);
        Assert.Contains("notes.txt", html);
        Assert.Contains("skipped: not an image file", html);
        Assert.Contains(EvalReport.Format((30.123 + 32.5) / 2, 2), html); // the mean over the two measured images: 31.31
        Assert.Contains("31.31", html);
        Assert.Contains("y-shave", html);
        Assert.Contains($"src=\"{png}\" width=\"160\" height=\"160\"", html); // 16 px shown ×10, at its own size
        Assert.Contains("9.8.7", html);
        Assert.Contains("1970-01-01 00:00:00", html);
        Assert.Contains("sr eval --x", html);
        Assert.Contains("ab12", html);
        // A crop that is not an embedded PNG would make the page depend on another file: refused.
        Assert.Throws<ArgumentException>(() => HtmlReport.Render(report, [crops[0] with { Output = "crops/x.png" }]));
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
    }

    [Fact]
    public void Evaluator_hands_each_image_to_the_report_which_writes_crops_and_then_the_page()
    {
        var folder = Path.Combine(_dir, "set");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "bird", "head" })
        {
            using var image = ImageFile.Read(ImagingTestData.Path("Set5", name + ".png"));
            using var crop = image.Pixels.narrow(0, 40, 50).narrow(1, 40, 44).contiguous();
            ImageFile.Write(Path.Combine(folder, name + ".png"), crop);
        }
        var page = new HtmlReport(Path.Combine(_dir, "report"), maxImages: 1);
        var seen = new List<(string name, long[] gt, long[] output, double psnr, bool outputIsBicubic)>();
        var evaluator = new SrEvaluator
        {
            ImageObserver = e =>
            {
                using var diff = e.Output.sub(e.Bicubic).abs().max();
                seen.Add((e.Name, e.GroundTruth.shape, e.Output.shape, e.Psnr, diff.item<float>() == 0));
                page.Add(e);
            },
        };
        var report = evaluator.EvaluateFolder(folder, SuperResolvers.Resolve("bicubic", 2), 2);

        // Each image once, in colour at the mod-cropped size, with the row's PSNR; bicubic's output is the bicubic view.
        Assert.Equal(["bird.png", "head.png"], seen.Select(s => s.name));
        Assert.All(seen, s => Assert.Equal([1L, 3, 50, 44], s.gt));
        Assert.All(seen, s => Assert.Equal([1L, 3, 50, 44], s.output));
        Assert.Equal(report.Images.Select(i => i.Psnr), seen.Select(s => s.psnr));
        Assert.All(seen, s => Assert.True(s.outputIsBicubic));

        // Only the first image gets crops (maxImages: 1); three square PNGs of the region's size times the whole zoom factor,
        // each pixel a zoom×zoom block (nearest neighbour).
        var crops = Assert.Single(page.CropsWritten);
        Assert.Equal("bird.png", crops.Name);
        Assert.Equal(HtmlReport.ZoomFor(crops.Size), crops.Zoom);
        Assert.True(crops.Size * crops.Zoom >= HtmlReport.MinShownSize);
        foreach (var uri in new[] { crops.Bicubic, crops.Output, crops.GroundTruth })
        {
            var bytes = Convert.FromBase64String(uri["data:image/png;base64,".Length..]);
            using var png = ImageFile.Decode(bytes, "crop");
            Assert.Equal((crops.Size * crops.Zoom, crops.Size * crops.Zoom, 3), (png.Height, png.Width, png.Channels));
            using var blocks = png.Pixels.narrow(0, 0, crops.Zoom).narrow(1, 0, crops.Zoom).to(ScalarType.Int32);
            Assert.Equal(0, blocks.sub(blocks.narrow(0, 0, 1).narrow(1, 0, 1)).abs().max().item<int>());
        }
        Assert.False(File.Exists(Path.Combine(page.Directory, HtmlReport.IndexFileName)));
        page.Write(report);
        var html = File.ReadAllText(Path.Combine(page.Directory, HtmlReport.IndexFileName));
        Assert.Contains("head.png", html);
        Assert.Contains(crops.GroundTruth, html);
        Assert.Single(Directory.GetFileSystemEntries(page.Directory)); // index.html alone: the crops are inside it
    }

    [Fact]
    public void The_ground_truth_crop_is_the_mod_cropped_image_itself()
    {
        using var hr = torch.rand([1, 3, 37, 41]);
        using var levels = ImageTensor.QuantizeToUint8Levels(hr);
        EvaluatedImage? kept = null;
        float difference = float.NaN;
        var evaluator = new SrEvaluator
        {
            ImageObserver = e =>
            {
                kept = e;
                using var expected = ImageTensor.ModCrop(levels, 3);
                using var diff = e.GroundTruth.sub(expected).abs().max();
                difference = diff.item<float>();
            },
        };
        evaluator.EvaluateImage(levels, SuperResolvers.Resolve("bicubic", 3), 3);
        Assert.NotNull(kept);
        Assert.True(difference < 1e-6f, $"ground truth differs by {difference}");
    }
}
