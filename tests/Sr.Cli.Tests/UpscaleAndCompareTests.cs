using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

[Collection("cli")]
public class UpscaleAndCompareTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-cli-{Guid.NewGuid():N}");

    public UpscaleAndCompareTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteImage(string name, int h, int w, int channels)
    {
        var px = new byte[h * w * channels];
        new Random(h * 31 + w + channels).NextBytes(px);
        var path = Path.Combine(_dir, name);
        using var t = torch.tensor(px, [h, w, channels]);
        ImageFile.Write(path, t);
        return path;
    }

    [Fact]
    public void Upscale_keeps_alpha_and_gray_and_multiplies_the_size()
    {
        var rgba = WriteImage("rgba.png", 10, 12, 4);
        var gray = WriteImage("gray.png", 9, 7, 1);
        var (c1, _, e1) = CliRunner.Run("upscale", rgba, "-o", Path.Combine(_dir, "rgba-x3.png"), "--scale", "3", "--model", "bicubic");
        Assert.True(c1 == 0, e1);
        using (var up = ImageFile.Read(Path.Combine(_dir, "rgba-x3.png"))) Assert.Equal((30, 36, 4), (up.Height, up.Width, up.Channels));
        var (c2, _, e2) = CliRunner.Run("upscale", gray, "-o", Path.Combine(_dir, "gray-x2.png"), "--model", "bicubic");
        Assert.True(c2 == 0, e2);
        using (var up = ImageFile.Read(Path.Combine(_dir, "gray-x2.png"))) Assert.Equal((18, 14, 1), (up.Height, up.Width, up.Channels));
    }

    [Fact]
    public void A_folder_batch_reports_each_bad_file_and_still_writes_the_good_ones()
    {
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        File.Move(WriteImage("a.png", 8, 8, 3), Path.Combine(input, "a.png"));
        File.WriteAllBytes(Path.Combine(input, "empty.png"), []);
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not an image");
        var good = File.ReadAllBytes(Path.Combine(input, "a.png"));
        File.WriteAllBytes(Path.Combine(input, "truncated.png"), good[..(good.Length / 2)]);
        var output = Path.Combine(_dir, "out");
        var (code, _, stderr) = CliRunner.Run("upscale", input, "-o", output, "--model", "bicubic");
        Assert.Equal(1, code);
        Assert.True(File.Exists(Path.Combine(output, "a.png")));
        Assert.Contains("empty.png", stderr);
        Assert.Contains("notes.txt", stderr);
        Assert.Contains("truncated.png", stderr);
        Assert.False(File.Exists(Path.Combine(output, "empty.png")));
    }

    [Fact]
    public void Argument_errors_say_what_is_wrong()
    {
        var img = WriteImage("x.png", 8, 8, 3);
        var (c1, _, e1) = CliRunner.Run("upscale", img, "-o", Path.Combine(_dir, "y.png"), "--scale", "5", "--model", "bicubic");
        Assert.Equal(2, c1);
        Assert.Contains("--scale must be 2, 3 or 4", e1);
        var (c2, _, e2) = CliRunner.Run("upscale", Path.Combine(_dir, "missing.png"), "-o", Path.Combine(_dir, "y.png"));
        Assert.Equal(2, c2);
        Assert.Contains("missing.png", e2);
        var (c3, _, e3) = CliRunner.Run("upscale", img, "-o", Path.Combine(_dir, "y.png"), "--model", "btsrn");
        Assert.Equal(2, c3);
        Assert.Contains("sr train --model btsrn", e3);
        var (c4, _, e4) = CliRunner.Run("upscale", img);
        Assert.NotEqual(0, c4);
        Assert.Contains("--output", e4);
    }

    [Fact]
    public void An_existing_output_is_replaced_whole_never_half_written()
    {
        var img = WriteImage("x.png", 8, 8, 3);
        var target = Path.Combine(_dir, "existing.png");
        File.WriteAllText(target, "old content");
        var (code, _, err) = CliRunner.Run("upscale", img, "-o", target, "--model", "bicubic");
        Assert.True(code == 0, err);
        using var up = ImageFile.Read(target);
        Assert.Equal(16, up.Width);
        Assert.Empty(Directory.GetFiles(_dir, "*sr-tmp-*"));
    }

    [Fact]
    public void Compare_writes_a_png_with_one_panel_per_method_plus_input_and_ground_truth()
    {
        var hr = Path.Combine(CliRunner.SharedData, "Set5", "butterfly.png");
        var output = Path.Combine(_dir, "cmp.png");
        var (code, stdout, err) = CliRunner.Run("compare", hr, "--scale", "3", "--models", "bicubic,bicubic-rgb", "-o", output);
        Assert.True(code == 0, err);
        using var pic = ImageFile.Read(output);
        // butterfly is 256×256 (mod 3: 255): 4 panels of 255 px plus 5 gaps of 12 px (the texts are narrower than a panel);
        // height = gap + panel + 8 + title (17 px) + score (14 px) + 18 + the 63-px crop zoomed ×4 + gap.
        Assert.Equal(4 * 255 + 5 * 12, pic.Width);
        Assert.Equal(12 + 255 + 8 + 17 + 14 + 18 + 63 * 4 + 12, pic.Height);
        Assert.Contains("PSNR", stdout);
    }
}

[Collection("cli")]
public class DefaultModelTests
{
    [Fact]
    public void The_default_model_upscales_baby_to_1024_pixels_square_for_every_scale_it_ships()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sr-default-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var baby = Path.Combine(CliRunner.SharedData, "Set5", "baby.png");
            var (code, stdout, stderr) = CliRunner.Run("upscale", baby, "-o", Path.Combine(dir, "out.png"));
            Assert.True(code == 0, stderr);
            Assert.Contains("default", stdout);
            using (var up = ImageFile.Read(Path.Combine(dir, "out.png"))) Assert.Equal((1024, 1024, 3), (up.Height, up.Width, up.Channels));
            Assert.Equal([2, 3, 4], Sr.Models.Upscaling.DefaultModel.AvailableScales);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
