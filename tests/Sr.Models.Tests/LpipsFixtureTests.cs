using System.Text.Json;
using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Losses;
using Sr.Torch;
using Sr.Torch.io;
using Sr.Torch.Serialization;
using Xunit.Abstractions;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

/// <summary>
/// LPIPS against values computed elsewhere: Fixtures/Lpips/make_lpips_fixture.py (Debian's python3-torch 1.13) holds an
/// independent float64 implementation of LPIPS v0.1 (AlexNet-lin) and wrote the weights (torchvision's and the lpips package's
/// key layouts, deterministic low-entropy values: not ImageNet's), the images and expected.json. No Python runs here.
/// </summary>
public sealed class LpipsFixtureTests(ITestOutputHelper output) : IDisposable
{
    private const double RelativeTolerance = 1e-4;

    private static readonly string Fixture = System.IO.Path.Combine(ImagingTestData.RepoRoot, "tests", "Sr.Models.Tests", "Fixtures", "Lpips");
    private static readonly string Weights = System.IO.Path.Combine(Fixture, "weights");
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Fixture, "expected.json"))).RootElement;

    private readonly string _dir = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sr-lpips-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Tensor Read(string relative)
    {
        using var decoded = ImageFile.Read(System.IO.Path.Combine(Fixture, relative));
        using var converted = ImageTensor.FromDecoded(decoded, AlphaHandling.Drop, ScalarType.Float32);
        return converted.Image.clone();
    }

    private void AssertRelative(double expected, double actual, string what)
    {
        output.WriteLine($"{what}: C# {actual:R}, PyTorch {expected:R}, relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2}");
        Assert.True(Math.Abs(actual - expected) <= RelativeTolerance * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
    }

    [Fact]
    public void Lpips_of_three_image_pairs_matches_an_independent_pytorch_implementation()
    {
        using var lpips = Lpips.Load(Weights);
        var pairs = Expected.GetProperty("pairs").EnumerateArray().ToList();
        Assert.Equal(3, pairs.Count);
        var seen = new List<double>();
        foreach (var pair in pairs)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var hr = Read(pair.GetProperty("hr").GetString()!);
            var distorted = Read(pair.GetProperty("distorted").GetString()!);
            Assert.Equal(new long[] { 1, 3, 64, 64 }, hr.shape);
            double expected = pair.GetProperty("lpips").GetDouble();
            AssertRelative(expected, lpips.call(hr, distorted).item<float>(), pair.GetProperty("distortion").GetString()!);
            AssertRelative(expected, lpips.call(distorted, hr).item<float>(), "swapped " + pair.GetProperty("distortion").GetString());
            seen.Add(expected);
        }
        // The pairs are far apart, so a wrong layer, tap or constant could not pass all three by accident.
        Assert.Equal(3, seen.Select(v => Math.Round(v, 2)).Distinct().Count());
    }

    [Fact]
    public void Eval_reports_the_lpips_of_the_rounded_rgb_output_on_the_whole_image_per_image_and_mean()
    {
        using var lpips = Lpips.Load(Weights);
        var evaluator = new SrEvaluator(EvalProtocol.RgbShave) { Lpips = lpips };
        var report = evaluator.EvaluateFolderWithLr(System.IO.Path.Combine(Fixture, "images", "hr"),
            new LrPairing(System.IO.Path.Combine(Fixture, "images", "lr"), null), SuperResolvers.Resolve("bicubic-rgb", 2), 2);

        var expected = Expected.GetProperty("eval").EnumerateArray().ToList();
        Assert.Equal(expected.Count, report.MeasuredCount);
        foreach (var (row, want) in report.Images.Zip(expected))
        {
            Assert.Equal(want.GetProperty("name").GetString(), row.Name);
            // The PSNR (RGB, shave 2) agrees to rounding noise: the Python bicubic made the same output, level for level.
            Assert.Equal(want.GetProperty("psnrRgbShave2").GetDouble(), row.Psnr, 6);
            AssertRelative(want.GetProperty("lpips").GetDouble(), row.Lpips, row.Name);
        }
        AssertRelative(Expected.GetProperty("evalMeanLpips").GetDouble(), report.MeanLpips, "mean");
        Assert.Equal(Weights, report.LpipsWeights);
    }

    [Fact]
    public void Every_report_format_carries_the_lpips_column_and_mean_only_when_measured()
    {
        using var lpips = Lpips.Load(Weights);
        var hr = System.IO.Path.Combine(Fixture, "images", "hr");
        var pairing = new LrPairing(System.IO.Path.Combine(Fixture, "images", "lr"), null);
        var method = SuperResolvers.Resolve("bicubic-rgb", 2);
        var with = new SrEvaluator(EvalProtocol.RgbShave) { Lpips = lpips }.EvaluateFolderWithLr(hr, pairing, method, 2);
        var without = new SrEvaluator(EvalProtocol.RgbShave).EvaluateFolderWithLr(hr, pairing, method, 2);
        string mean = EvalReport.Format(with.MeanLpips, 4);

        var csv = with.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("dataset,scale,protocol,method,degradation,name,width,height,psnr,ssim,lpips,seconds,outcome,note", csv[0]);
        var a = csv[1].Split(',');
        Assert.Equal("a.png", a[5]);
        Assert.Equal(with.Images[0].Lpips, double.Parse(a[10], System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal(EvalReport.Format(with.MeanLpips, 6), csv[^1].Split(',')[10]);
        Assert.DoesNotContain("lpips", without.ToCsv());

        var md = with.ToMarkdown();
        Assert.Contains("| PSNR (dB) | SSIM | LPIPS | seconds |", md);
        Assert.Contains($"**{mean}**", md);
        Assert.DoesNotContain("LPIPS", without.ToMarkdown());

        using var doc = JsonDocument.Parse(with.ToJson());
        Assert.Equal(with.MeanLpips, doc.RootElement.GetProperty("mean").GetProperty("lpips").GetDouble(), 6);
        Assert.Equal(with.Images[2].Lpips, doc.RootElement.GetProperty("images")[2].GetProperty("lpips").GetDouble(), 6);
        Assert.Equal(Weights, doc.RootElement.GetProperty("lpipsWeights").GetString());
        using var plain = JsonDocument.Parse(without.ToJson());
        Assert.False(plain.RootElement.GetProperty("mean").TryGetProperty("lpips", out _));
        Assert.False(plain.RootElement.GetProperty("images")[0].TryGetProperty("lpips", out _));

        var html = HtmlReport.Render(with, []);
        Assert.Contains("<th>LPIPS</th>", html);
        Assert.Contains($"<tr><th>Mean LPIPS</th><td>{mean}</td></tr>", html);
        Assert.Contains($"<td class=\"n\">{EvalReport.Format(with.Images[1].Lpips, 4)}</td>", html);
        Assert.DoesNotContain("LPIPS", HtmlReport.Render(without, []));
    }

    [Fact]
    public void A_y_method_is_measured_on_its_y_with_bicubic_chroma_whatever_the_protocol()
    {
        using var lpips = Lpips.Load(Weights);
        var hr = System.IO.Path.Combine(Fixture, "images", "hr");
        var method = SuperResolvers.Resolve("bicubic-y", 2);
        var onY = new SrEvaluator(EvalProtocol.YShave) { Lpips = lpips }.EvaluateFolder(hr, method, 2);
        var onRgb = new SrEvaluator(EvalProtocol.RgbShave) { Lpips = lpips }.EvaluateFolder(hr, method, 2);
        var rgbMethod = new SrEvaluator(EvalProtocol.RgbShave) { Lpips = lpips }.EvaluateFolder(hr, SuperResolvers.Resolve("bicubic-rgb", 2), 2);
        for (int i = 0; i < onY.Images.Count; i++)
        {
            Assert.NotEqual(onY.Images[i].Psnr, onRgb.Images[i].Psnr); // the protocols differ…
            Assert.Equal(onRgb.Images[i].Lpips, onY.Images[i].Lpips);  // …LPIPS compares the same RGB picture under both
            Assert.True(onY.Images[i].Lpips > 0.01, $"{onY.Images[i].Name}: {onY.Images[i].Lpips}");
            // Bicubic on Y with bicubic chroma is a different picture from bicubic on RGB, but close to it.
            Assert.NotEqual(rgbMethod.Images[i].Lpips, onY.Images[i].Lpips);
            Assert.True(Math.Abs(rgbMethod.Images[i].Lpips - onY.Images[i].Lpips) < 0.2 * rgbMethod.Images[i].Lpips,
                $"{onY.Images[i].Name}: Y+chroma {onY.Images[i].Lpips} vs RGB {rgbMethod.Images[i].Lpips}");
        }
    }

    [Fact]
    public void One_combined_safetensors_file_loads_like_the_two_published_files()
    {
        using var fromFolder = Lpips.Load(Weights);
        var combined = System.IO.Path.Combine(_dir, "lpips-alex.safetensors");
        Safetensors.SaveStateDict(combined, fromFolder.state_dict());
        using var fromFile = Lpips.Load(combined);
        Assert.Equal(combined, fromFile.Source);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var hr = Read("images/hr/b.png");
        var distorted = Read("images/distorted/b.png");
        Assert.Equal(fromFolder.call(hr, distorted).item<float>(), fromFile.call(hr, distorted).item<float>());
    }

    [Fact]
    public void Lin_weights_in_the_legacy_pre_zip_format_load_like_the_zip_ones()
    {
        using var zip = Lpips.Load(Weights);
        using var legacy = Lpips.Load(System.IO.Path.Combine(Weights, Lpips.AlexNetFileName), System.IO.Path.Combine(Fixture, "weights-legacy", Lpips.LinFileName));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var hr = Read("images/hr/c.png");
        var distorted = Read("images/distorted/c.png");
        Assert.Equal(zip.call(hr, distorted).item<float>(), legacy.call(hr, distorted).item<float>());
        AssertRelative(Expected.GetProperty("pairs")[2].GetProperty("lpips").GetDouble(), legacy.call(hr, distorted).item<float>(), "legacy lin weights");
    }

    [Fact]
    public void An_image_too_small_for_alexnet_is_a_skipped_row_with_lpips_and_measured_without()
    {
        var folder = System.IO.Path.Combine(_dir, "small");
        Directory.CreateDirectory(folder);
        File.Copy(System.IO.Path.Combine(Fixture, "images", "hr", "a.png"), System.IO.Path.Combine(folder, "a.png"));
        using (var image = ImageFile.Read(System.IO.Path.Combine(Fixture, "images", "hr", "b.png")))
        using (var crop = image.Pixels.narrow(0, 0, 30).narrow(1, 0, 40).contiguous())
            ImageFile.Write(System.IO.Path.Combine(folder, "b-40x30.png"), crop);
        using var lpips = Lpips.Load(Weights);
        var method = SuperResolvers.Resolve("bicubic", 2);
        var with = new SrEvaluator { Lpips = lpips }.EvaluateFolder(folder, method, 2);
        Assert.Equal(1, with.MeasuredCount);
        var small = with.Images.Single(i => i.Name == "b-40x30.png");
        Assert.Equal(EvalOutcome.Skipped, small.Outcome);
        Assert.Equal("too small for LPIPS: 40×30 after mod-crop, under the 31×31 its AlexNet needs", small.Note);
        Assert.Equal(2, new SrEvaluator().EvaluateFolder(folder, method, 2).MeasuredCount); // PSNR/SSIM alone can measure it
    }

    [Fact]
    public void Missing_corrupt_foreign_or_wrong_shaped_weights_fail_naming_the_file_and_the_problem()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => Lpips.Load(System.IO.Path.Combine(_dir, "nowhere")));
        Assert.Contains(System.IO.Path.Combine(_dir, "nowhere"), missing.Message);

        // A folder without the lin weights: the message names the file looked for and where it comes from.
        var half = System.IO.Path.Combine(_dir, "half");
        Directory.CreateDirectory(half);
        File.Copy(System.IO.Path.Combine(Weights, Lpips.AlexNetFileName), System.IO.Path.Combine(half, Lpips.AlexNetFileName));
        var noLin = Assert.Throws<FileNotFoundException>(() => Lpips.Load(half));
        Assert.Contains(System.IO.Path.Combine(half, Lpips.LinFileName), noLin.Message);
        Assert.Contains("richzhang/PerceptualSimilarity", noLin.Message);

        // Truncated: the unpickler names the file.
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Weights, Lpips.LinFileName));
        var truncated = System.IO.Path.Combine(_dir, "truncated.pth");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var corrupt = Assert.Throws<WeightsFormatException>(() => Lpips.Load(truncated));
        Assert.Equal(truncated, corrupt.Path);
        Assert.StartsWith(truncated + ":", corrupt.Message);

        // A state dict of something else.
        var foreign = System.IO.Path.Combine(_dir, "foreign.safetensors");
        using (var t = ones(3, 3)) Safetensors.SaveStateDict(foreign, new Dictionary<string, Tensor> { ["conv.weight"] = t });
        var none = Assert.Throws<InvalidDataException>(() => Lpips.Load(foreign));
        Assert.Contains(foreign, none.Message);
        Assert.Contains("none of LPIPS's weights", none.Message);

        // The right keys with a wrong shape (e.g. the lin weights of LPIPS-VGG, whose first layer also has 64 channels but
        // whose second has 128): the file, the key and both shapes.
        using var good = Lpips.Load(Weights);
        var dict = good.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        using var wrong = zeros(1, 128, 1, 1);
        dict["lin1.model.1.weight"] = wrong;
        var shaped = System.IO.Path.Combine(_dir, "vgg-lin.safetensors");
        Safetensors.SaveStateDict(shaped, dict);
        var shape = Assert.Throws<InvalidDataException>(() => Lpips.Load(shaped));
        Assert.Contains(shaped, shape.Message);
        Assert.Contains("'lin1.model.1.weight' has shape [1, 128, 1, 1], but LPIPS's AlexNet needs [1, 192, 1, 1]", shape.Message);

        // The AlexNet alone, as one file: incomplete, naming the missing keys.
        var incomplete = Assert.Throws<InvalidDataException>(() => Lpips.Load(System.IO.Path.Combine(Weights, Lpips.AlexNetFileName)));
        Assert.Contains("lin0.model.1.weight", incomplete.Message);
        Assert.Contains(Lpips.AlexNetFileName, incomplete.Message);
    }
}
