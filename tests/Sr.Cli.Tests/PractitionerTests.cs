using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sr.Models.Upscaling;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

/// <summary>Issue #18: what an SR practitioner expects from the tool (model-file scales, pre-made LR, MATLAB uint8 LR, info, JSON).</summary>
[Collection("cli")]
public sealed class PractitionerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-practitioner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Set5 => Path.Combine(CliRunner.SharedData, "Set5");

    [Fact]
    public void Upscale_takes_the_scale_of_the_model_file_when_none_is_given()
    {
        var output = Path.Combine(_dir, "o.png");
        var (code, stdout, stderr) = CliRunner.Run("upscale", Path.Combine(Set5, "butterfly.png"), "-o", output, "--model", DefaultModel.PathFor(3));
        Assert.True(code == 0, stderr);
        Assert.Contains("×3", stdout);
        using var image = ImageFile.Read(output);
        Assert.Equal(768, image.Width);
        Assert.Equal(768, image.Height);
    }

    [Fact]
    public void A_scale_other_than_the_files_is_refused_with_the_fix()
    {
        var (code, _, stderr) = CliRunner.Run("upscale", Path.Combine(Set5, "butterfly.png"), "-o", Path.Combine(_dir, "o.png"), "--model", DefaultModel.PathFor(3), "--scale", "2");
        Assert.Equal(2, code);
        Assert.Contains("holds a ×3 model, but ×2 was asked for (leave --scale out", stderr);
    }

    [Fact]
    public void Models_json_lists_default_and_bicubic_with_camel_case_keys()
    {
        var (code, stdout, _) = CliRunner.Run("models", "--json");
        Assert.Equal(0, code);
        var list = JsonNode.Parse(stdout)!.AsArray();
        var names = list.Select(m => (string)m!["name"]!).ToList();
        Assert.Contains("bicubic", names);
        Assert.Contains("default", names);
        Assert.Contains("rsrnet-sr", names);
        Assert.Equal("method", (string)list.Single(m => (string)m!["name"]! == "bicubic")!["kind"]!);
        Assert.All(list, m => Assert.All(m!.AsObject(), p => Assert.DoesNotContain('_', p.Key)));
    }

    [Fact]
    public void Eval_with_matlab_lr_files_reproduces_the_published_bicubic_baseline()
    {
        var json = Path.Combine(_dir, "r.json");
        var (code, _, stderr) = CliRunner.Run("eval", "--model", "bicubic", "--data", Set5, "--lr", Path.Combine(Set5, "matlab_lr_x2_swinir"), "--scale", "2", "--json", json);
        Assert.True(code == 0, stderr);
        var report = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal(5, (int)report["mean"]!["count"]!);
        // Published: 33.66 dB (SRCNN/RSRNet tables), made from these MATLAB uint8 LR files.
        Assert.InRange((double)report["mean"]!["psnr"]!, 33.61, 33.71);
        Assert.Equal("given LR files", (string)report["degradation"]!);
        Assert.EndsWith("matlab_lr_x2_swinir", (string)report["lrFolder"]!);
        Assert.Contains("babyx2.png", (string)report["images"]![0]!["note"]!);
        // One key convention everywhere: camelCase.
        Assert.NotNull(report["protocolDefinition"]!["shavePixels"]);
        Assert.Null(report["protocol_definition"]);
    }

    [Fact]
    public void Eval_lr_pattern_pairs_selfexsr_names_by_index()
    {
        var (code, stdout, stderr) = CliRunner.Run("eval", "--model", "bicubic", "--data", Set5, "--lr", Path.Combine(Set5, "matlab_lr_x3"),
            "--lr-pattern", "img_{index:000}_SRF_{s}_LR.png", "--scale", "3", "--json", Path.Combine(_dir, "r.json"));
        Assert.True(code == 0, stderr);
        Assert.Contains("mean** (5 of 5)", stdout);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "r.json")))!;
        Assert.Contains("img_005_SRF_3_LR.png", (string)report["images"]![4]!["note"]!); // woman.png is the 5th by name
    }

    [Fact]
    public void Eval_lr_names_the_missing_lr_file()
    {
        var lr = Directory.CreateDirectory(Path.Combine(_dir, "lr")).FullName;
        File.Copy(Path.Combine(Set5, "matlab_lr_x2_swinir", "babyx2.png"), Path.Combine(lr, "babyx2.png"));
        var (code, stdout, stderr) = CliRunner.Run("eval", "--model", "bicubic", "--data", Set5, "--lr", lr, "--scale", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("mean** (1 of 5)", stdout);
        Assert.Contains("skipped: bird.png: no LR file birdx2.* or bird.*", stderr);
    }

    [Fact]
    public void Eval_lr_of_the_wrong_scale_is_a_skipped_row_saying_the_expected_size()
    {
        var (_, _, stderr) = CliRunner.Run("eval", "--model", "bicubic", "--data", Set5, "--lr", Path.Combine(Set5, "matlab_lr_x2_swinir"),
            "--lr-pattern", "{stem}x2.png", "--scale", "4");
        Assert.Contains("skipped: baby.png: LR file", stderr);
        Assert.Contains("the LR must be 128×128", stderr);
    }

    [Fact]
    public void Degrade_uint8_matlab_writes_matlabs_lr_files_bit_for_bit()
    {
        var output = Path.Combine(_dir, "lr");
        var (code, _, stderr) = CliRunner.Run("degrade", Set5, "-o", output, "--scale", "2", "--uint8-matlab");
        Assert.True(code == 0, stderr);
        foreach (var name in new[] { "baby", "bird", "butterfly", "head", "woman" })
        {
            using var ours = ImageFile.Read(Path.Combine(output, name + ".png"));
            using var matlab = ImageFile.Read(Path.Combine(Set5, "matlab_lr_x2_swinir", name + "x2.png"));
            Assert.Equal(matlab.Pixels.shape, ours.Pixels.shape);
            Assert.Equal(0, ours.Pixels.ne(matlab.Pixels).sum().item<long>());
        }
    }

    [Fact]
    public void Degrade_uint8_matlab_is_refused_for_a_degradation_without_resize_passes()
    {
        var (code, _, stderr) = CliRunner.Run("degrade", Path.Combine(Set5, "bird.png"), "-o", Path.Combine(_dir, "x.png"), "--scale", "2", "-d", "noise:5", "--uint8-matlab");
        Assert.Equal(2, code);
        Assert.Contains("--uint8-matlab applies to the resize degradations", stderr);
    }

    [Fact]
    public void Info_on_a_model_file_prints_network_scale_provenance_and_sha256()
    {
        var path = DefaultModel.PathFor(3);
        var (code, stdout, stderr) = CliRunner.Run("info", path, "--json");
        Assert.True(code == 0, stderr);
        var info = JsonNode.Parse(stdout)!;
        Assert.Equal("rsrnet-sr", (string)info["network"]!);
        Assert.Equal(3, (int)info["scale"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), (string)info["sha256"]!);
        Assert.NotNull(info["training"]!["trainingMinutes"]);
        var (textCode, text, _) = CliRunner.Run("info", path);
        Assert.Equal(0, textCode);
        Assert.Contains("network: rsrnet-sr", text);
    }

    [Fact]
    public void Info_without_a_model_points_to_version()
    {
        var (code, _, stderr) = CliRunner.Run("info");
        Assert.Equal(2, code);
        Assert.Contains("sr --version", stderr);
    }

    [Fact]
    public void Resume_keeps_the_checkpoints_validation()
    {
        var output = Path.Combine(_dir, "m.srm");
        var (code, _, stderr) = CliRunner.Run("train", "--model", "srcnn", "--scale", "2", "--data", Set5, "--val", Set5, "--val-images", "1",
            "--validate-every", "2", "--steps", "3", "--batch", "2", "--patch", "24", "-o", output);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = CliRunner.Run("train", "--resume", Path.Combine(_dir, "m.ckpt"), "--steps", "6", "-o", output);
        Assert.True(code == 0, stderr);
        // step,elapsed_s,loss,lr,val_psnr,val_ssim: validation rows (a PSNR in column 5) after the resume, at steps 4 and 6.
        var validated = File.ReadAllLines(Path.Combine(_dir, "m.log.csv")).Skip(1).Select(l => l.Split(','))
            .Where(c => c[4].Length > 0).Select(c => int.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(4, validated);
        Assert.Contains(6, validated);
    }

    [Fact]
    public void Structure_training_with_patches_larger_than_every_image_suggests_a_patch_size()
    {
        var (code, _, stderr) = CliRunner.Run("train", "--model", "nse-p", "--data", Path.Combine(CliRunner.SharedData, "BSD200"), "--steps", "1", "-o", Path.Combine(_dir, "n.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("add --patch 96", stderr);
    }
}
