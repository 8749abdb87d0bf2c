using System.Text.Json.Nodes;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Training;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

[Collection("cli")]
public class DegradeAndReduceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-cli-{Guid.NewGuid():N}");

    public DegradeAndReduceTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Set5(string name) => Path.Combine(CliRunner.SharedData, "Set5", name);

    private string WriteImage(string name, int h, int w, int channels)
    {
        var px = new byte[h * w * channels];
        new Random(h * 31 + w + channels).NextBytes(px);
        var path = Path.Combine(_dir, name);
        using var t = torch.tensor(px, [h, w, channels]);
        ImageFile.Write(path, t);
        return path;
    }

    /// <summary>A small RSRNet (8 features, 1 dense unit) saved as a model file, as `sr train --model rsrnet` would save one.</summary>
    private string WriteTinyRsrNet(int scale)
    {
        var options = new JsonObject { ["Features"] = 8, ["DenseUnits"] = 1 };
        torch.manual_seed(3);
        using var net = new RsrNet(scale, new RsrNetOptions { Features = 8, DenseUnits = 1 });
        var path = Path.Combine(_dir, $"rsrnet-x{scale}.srm");
        ModelFile.Save(path, net, "rsrnet", options);
        return path;
    }

    [Fact]
    public void Degrade_of_a_Set5_image_mod_crops_and_equals_the_library_degradation()
    {
        // butterfly.png is 256×256; ×3 mod-crops it to 255×255 and gives 85×85.
        var output = Path.Combine(_dir, "butterfly-x3.png");
        var (code, stdout, stderr) = CliRunner.Run("degrade", Set5("butterfly.png"), "-o", output, "--scale", "3", "--degradation", "bd");
        Assert.True(code == 0, stderr);
        Assert.Contains("mod-cropped 256×256 → 255×255", stdout);
        using var written = ImageFile.Read(output);
        Assert.Equal((85, 85, 3), (written.Height, written.Width, written.Channels));

        using var hr = ImageFile.Read(Set5("butterfly.png"));
        using var converted = ImageTensor.FromDecoded(hr);
        using var cropped = ImageTensor.ModCrop(converted.Image, 3);
        using var lr = Degradations.Parse("bd").Apply(cropped, 3);
        using var expected = ImageTensor.ToHwcUint8(lr);
        // sr degrade writes exactly the library degradation, rounded to uint8.
        Assert.Equal(expected.data<byte>(), written.Pixels.data<byte>());
    }

    [Fact]
    public void Degrade_keeps_gray_gray_and_a_noise_seed_makes_it_reproducible()
    {
        var gray = WriteImage("gray.png", 20, 16, 1);
        string a = Path.Combine(_dir, "a.png"), b = Path.Combine(_dir, "b.png"), c = Path.Combine(_dir, "c.png");
        Assert.Equal(0, CliRunner.Run("degrade", gray, "-o", a, "-s", "2", "-d", "noise:10", "--seed", "5").code);
        Assert.Equal(0, CliRunner.Run("degrade", gray, "-o", b, "-s", "2", "-d", "noise:10", "--seed", "5").code);
        Assert.Equal(0, CliRunner.Run("degrade", gray, "-o", c, "-s", "2", "-d", "noise:10", "--seed", "6").code);
        using var ia = ImageFile.Read(a);
        using var ib = ImageFile.Read(b);
        using var ic = ImageFile.Read(c);
        Assert.Equal((10, 8, 1), (ia.Height, ia.Width, ia.Channels));
        Assert.Equal(ia.Pixels.data<byte>(), ib.Pixels.data<byte>());
        Assert.NotEqual(ia.Pixels.data<byte>(), ic.Pixels.data<byte>());
    }

    [Fact]
    public void Degrade_of_a_folder_reports_the_corrupt_file_and_writes_the_others_with_their_names()
    {
        var input = Path.Combine(_dir, "hr");
        Directory.CreateDirectory(input);
        File.Move(WriteImage("one.png", 12, 12, 3), Path.Combine(input, "one.png"));
        File.Move(WriteImage("two.png", 9, 14, 1), Path.Combine(input, "two.bmp.png"));
        var good = File.ReadAllBytes(Path.Combine(input, "one.png"));
        File.WriteAllBytes(Path.Combine(input, "broken.png"), good[..(good.Length / 2)]);
        var output = Path.Combine(_dir, "lr");
        var (code, _, stderr) = CliRunner.Run("degrade", input, "-o", output, "--scale", "2");
        Assert.Equal(1, code);
        Assert.Contains("broken.png", stderr);
        Assert.False(File.Exists(Path.Combine(output, "broken.png")));
        using (var one = ImageFile.Read(Path.Combine(output, "one.png"))) Assert.Equal((6, 6, 3), (one.Height, one.Width, one.Channels));
        using (var two = ImageFile.Read(Path.Combine(output, "two.bmp.png"))) Assert.Equal((4, 7, 1), (two.Height, two.Width, two.Channels));
    }

    [Fact]
    public void Degrade_argument_errors_name_the_problem()
    {
        var img = WriteImage("x.png", 8, 8, 3);
        var (c1, _, e1) = CliRunner.Run("degrade", img, "--scale", "2");
        Assert.NotEqual(0, c1);
        Assert.Contains("--output", e1);
        var (c2, _, e2) = CliRunner.Run("degrade", img, "-o", Path.Combine(_dir, "y.png"), "--scale", "0");
        Assert.Equal(2, c2);
        Assert.Contains("--scale must be an integer ≥ 1", e2);
        var (c3, _, e3) = CliRunner.Run("degrade", img, "-o", Path.Combine(_dir, "y.png"), "--scale", "2", "--degradation", "fog:3");
        Assert.Equal(2, c3);
        Assert.Contains("Unknown degradation 'fog:3'", e3);
        Assert.Single(e3.Trim().Split('\n'));
        var (c4, _, e4) = CliRunner.Run("degrade", Path.Combine(_dir, "missing.png"), "-o", Path.Combine(_dir, "y.png"), "--scale", "2");
        Assert.Equal(2, c4);
        Assert.Contains("missing.png", e4);
    }

    [Fact]
    public void Reduce_with_an_rsrnet_model_file_gives_an_image_of_the_reduced_size_in_colour()
    {
        var model = WriteTinyRsrNet(2);
        var input = WriteImage("rgb.png", 21, 30, 3); // 21 rows: mod-cropped to 20
        var output = Path.Combine(_dir, "rgb-lr.png");
        var (code, stdout, stderr) = CliRunner.Run("reduce", input, "-o", output, "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Contains("mod-cropped", stdout);
        using var lr = ImageFile.Read(output);
        Assert.Equal((10, 15, 3), (lr.Height, lr.Width, lr.Channels));

        // Colour: Y through RRNet, Cb/Cr through bicubic — the library's ImageReducer, nothing else.
        using var network = ImageReducer.Load(model);
        using var hr = ImageFile.Read(input);
        using var converted = ImageTensor.FromDecoded(hr);
        using var reduced = ImageReducer.Reduce(converted.Image, network);
        using var expected = ImageTensor.ToHwcUint8(reduced);
        Assert.Equal(expected.data<byte>(), lr.Pixels.data<byte>());
    }

    [Fact]
    public void Reduce_of_a_gray_Set5_crop_folder_keeps_one_channel()
    {
        var model = WriteTinyRsrNet(4);
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        using (var baby = ImageFile.Read(Set5("baby.png")))
        using (var crop = baby.Pixels.narrow(0, 100, 48).narrow(1, 200, 40).narrow(2, 0, 1).contiguous())
            ImageFile.Write(Path.Combine(input, "baby-crop.png"), crop);
        var output = Path.Combine(_dir, "out");
        var (code, _, stderr) = CliRunner.Run("reduce", input, "-o", output, "--model", model, "--scale", "4");
        Assert.True(code == 0, stderr);
        using var lr = ImageFile.Read(Path.Combine(output, "baby-crop.png"));
        Assert.Equal((12, 10, 1), (lr.Height, lr.Width, lr.Channels));
    }

    [Fact]
    public void Reduce_refuses_what_cannot_reduce_in_one_line_naming_it()
    {
        var img = WriteImage("x.png", 8, 8, 3);
        var target = Path.Combine(_dir, "y.png");

        var srcnn = Path.Combine(_dir, "srcnn-x2.srm");
        using (var net = new Srcnn(2)) ModelFile.Save(srcnn, net, "srcnn");
        var (c1, _, e1) = CliRunner.Run("reduce", img, "-o", target, "--model", srcnn);
        Assert.Equal(2, c1);
        Assert.Contains("srcnn-x2.srm", e1);
        Assert.Contains("only rsrnet models", e1);
        Assert.Single(e1.Trim().Split('\n'));

        var (c2, _, e2) = CliRunner.Run("reduce", img, "-o", target, "--model", "rsrnet");
        Assert.Equal(2, c2);
        Assert.Contains("needs trained weights", e2);

        var (c3, _, e3) = CliRunner.Run("reduce", img, "-o", target, "--model", WriteTinyRsrNet(2), "--scale", "3");
        Assert.Equal(2, c3);
        Assert.Contains("×2 model, but ×3", e3);

        var (c4, _, e4) = CliRunner.Run("reduce", img, "-o", target);
        Assert.NotEqual(0, c4);
        Assert.Contains("--model", e4);
        Assert.False(File.Exists(target));
    }
}
