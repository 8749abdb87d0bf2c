using System.Text.Json;

namespace Sr.Cli.Tests;

/// <summary>
/// `sr eval --lpips`: the fixture of tests/Sr.Models.Tests/Fixtures/Lpips (weights in the published layouts, images and the
/// values an independent PyTorch implementation computed: make_lpips_fixture.py) through the command line.
/// </summary>
[Collection("cli")]
public class EvalLpipsTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(CliRunner.RepoRoot, "tests", "Sr.Models.Tests", "Fixtures", "Lpips");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-cli-lpips-{Guid.NewGuid():N}");

    public EvalLpipsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Eval_lpips_prints_the_column_and_writes_the_pytorch_values_to_json()
    {
        var json = Path.Combine(_dir, "report.json");
        var (code, stdout, stderr) = CliRunner.Run("eval", "--model", "bicubic-rgb", "--scale", "2", "--protocol", "rgb-shave",
            "--data", Path.Combine(Fixture, "images", "hr"), "--lr", Path.Combine(Fixture, "images", "lr"),
            "--lpips", Path.Combine(Fixture, "weights"), "--json", json);
        Assert.True(code == 0, stderr);
        Assert.Contains("| PSNR (dB) | SSIM | LPIPS | seconds | note |", stdout);

        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "expected.json")));
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        double want = expected.RootElement.GetProperty("evalMeanLpips").GetDouble();
        double got = report.RootElement.GetProperty("mean").GetProperty("lpips").GetDouble();
        Assert.True(Math.Abs(got - want) <= 1e-4 * want, $"mean LPIPS {got} vs PyTorch {want}");
        var images = report.RootElement.GetProperty("images").EnumerateArray().ToList();
        var wanted = expected.RootElement.GetProperty("eval").EnumerateArray().ToList();
        Assert.Equal(wanted.Count, images.Count);
        foreach (var (image, w) in images.Zip(wanted))
        {
            Assert.Equal(w.GetProperty("name").GetString(), image.GetProperty("name").GetString());
            double v = w.GetProperty("lpips").GetDouble();
            Assert.True(Math.Abs(image.GetProperty("lpips").GetDouble() - v) <= 1e-4 * v, $"{w.GetProperty("name")}: {image.GetProperty("lpips")} vs {v}");
        }
    }

    [Fact]
    public void Eval_lpips_with_missing_or_wrong_weights_is_one_error_naming_the_file()
    {
        var data = Path.Combine(Fixture, "images", "hr");
        var nowhere = Path.Combine(_dir, "nowhere");
        var (code, stdout, stderr) = CliRunner.Run("eval", "--data", data, "--scale", "2", "--lpips", nowhere);
        Assert.Equal(1, code);
        Assert.Equal("", stdout); // nothing is measured before the weights are known to be usable
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("error: --lpips: ", stderr);
        Assert.Contains(nowhere, stderr);

        var folder = Path.Combine(_dir, "weights");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "alexnet-owt-7be5be79.pth"), "<html>404 Not Found</html>");
        File.Copy(Path.Combine(Fixture, "weights", "alex.pth"), Path.Combine(folder, "alex.pth"));
        (code, stdout, stderr) = CliRunner.Run("eval", "--data", data, "--scale", "2", "--lpips", folder);
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(Path.Combine(folder, "alexnet-owt-7be5be79.pth"), stderr);
        Assert.Contains("not a PyTorch .pt/.pth file", stderr);
    }
}
