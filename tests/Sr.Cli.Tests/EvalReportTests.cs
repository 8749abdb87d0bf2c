using System.Text.RegularExpressions;
using Sr.Models.Evaluation;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

[Collection("cli")]
public class EvalReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-cli-{Guid.NewGuid():N}");

    public EvalReportTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Small crops of Set5 (one of them with a name that needs HTML escaping) so the test stays fast.</summary>
    private string SmallSet()
    {
        var folder = Path.Combine(_dir, "set");
        Directory.CreateDirectory(folder);
        foreach (var (source, name) in new[] { ("baby.png", "baby.png"), ("bird.png", "bird <&> \"q\".png"), ("head.png", "head.png") })
        {
            using var image = ImageFile.Read(Path.Combine(CliRunner.SharedData, "Set5", source));
            using var crop = image.Pixels.narrow(0, 60, 48).narrow(1, 60, 40).contiguous();
            ImageFile.Write(Path.Combine(folder, name), crop);
        }
        return folder;
    }

    [Fact]
    public void Eval_report_writes_index_html_with_every_image_the_mean_psnr_and_existing_crops()
    {
        var data = SmallSet();
        var reportDir = Path.Combine(_dir, "report");
        var (code, _, stderr) = CliRunner.Run("eval", "--model", "bicubic", "--data", data, "--scale", "2", "--report", reportDir);
        Assert.True(code == 0, stderr);
        var html = File.ReadAllText(Path.Combine(reportDir, "index.html"));

        var expected = new SrEvaluator().EvaluateFolder(data, SuperResolvers.Resolve("bicubic", 2), 2);
        Assert.Contains(EvalReport.Format(expected.MeanPsnr, 2), html);
        Assert.Contains("baby.png", html);
        Assert.Contains("head.png", html);
        Assert.Contains("bird &lt;&amp;&gt; &quot;q&quot;.png", html);
        Assert.DoesNotContain("bird <&>", html);
        var sources = Regex.Matches(html, "src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3 * 3, sources.Count); // bicubic, output, ground truth for each of the 3 images
        Assert.All(sources, s => Assert.StartsWith("data:image/png;base64,", s)); // embedded: one self-contained file
        Assert.DoesNotContain("http", html); // self-contained: no external script, style sheet or font
        Assert.Equal([Path.Combine(reportDir, "index.html")], Directory.GetFileSystemEntries(reportDir));
        Assert.Contains("sr eval --model bicubic", html); // provenance: the command
        Assert.Contains("(none: a built-in method)", html);
        Assert.Empty(Directory.GetFiles(reportDir, "*sr-tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Report_images_limits_the_crops_to_the_first_ones()
    {
        var data = SmallSet();
        var reportDir = Path.Combine(_dir, "report");
        var (code, _, stderr) = CliRunner.Run("eval", "--data", data, "--scale", "2", "--report", reportDir, "--report-images", "1");
        Assert.True(code == 0, stderr);
        Assert.Equal(3, Regex.Matches(File.ReadAllText(Path.Combine(reportDir, "index.html")), "src=\"data:image/png").Count);
        var (bad, _, error) = CliRunner.Run("eval", "--data", data, "--scale", "2", "--report", reportDir, "--report-images", "-1");
        Assert.Equal(2, bad);
        Assert.Contains("--report-images", error);
    }
}
