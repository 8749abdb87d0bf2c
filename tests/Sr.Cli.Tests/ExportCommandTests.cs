using System.Text.Json.Nodes;
using Sr.Models.Onnx;

namespace Sr.Cli.Tests;

/// <summary>`sr export` and `--backend onnx`: the exported default model scores what the default model scores.</summary>
[Collection("cli")]
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private double EvalSet5(string model, params string[] extra)
    {
        var json = Path.Combine(_dir, $"eval-{Guid.NewGuid():N}.json");
        var (code, _, stderr) = CliRunner.Run(["eval", "--model", model, "--data", Path.Combine(CliRunner.SharedData, "Set5"), "--scale", "2", "--json", json, .. extra]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(File.ReadAllText(json))!["mean"]!["psnr"]!.GetValue<double>();
    }

    [Fact]
    public void Exported_default_model_evaluates_like_the_default_model_on_Set5()
    {
        var onnx = Path.Combine(_dir, "d.onnx");
        var (code, stdout, stderr) = CliRunner.Run("export", "--model", "default", "--scale", "2", "-o", onnx);
        Assert.True(code == 0, stderr);
        Assert.Contains("opset 17", stdout);
        var info = OnnxModelInfo.Read(onnx);
        Assert.Equal(("rsrnet-sr", 2, OnnxLayout.Nchw), (info.ModelName, info.Scale, info.Layout));

        double libtorch = EvalSet5("default");
        double fromFile = EvalSet5(onnx);
        double backend = EvalSet5("default", "--backend", "onnx");
        Assert.True(libtorch > 36, $"default ×2 scores {libtorch:F2} dB on Set5"); // the shipped model, not an untrained one
        Assert.Equal(libtorch, fromFile, 0.001);
        Assert.Equal(libtorch, backend, 0.001);
    }

    [Fact]
    public void Export_of_an_architecture_name_is_refused_with_advice()
    {
        var (code, _, stderr) = CliRunner.Run("export", "--model", "vdsr", "--scale", "2", "-o", Path.Combine(_dir, "v.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("names a network architecture, not trained weights", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "v.onnx")));
    }

    [Fact]
    public void Export_of_the_default_model_needs_a_scale()
    {
        var (code, _, stderr) = CliRunner.Run("export", "--model", "default", "-o", Path.Combine(_dir, "d.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("--scale", stderr);
    }

    [Fact]
    public void Flat_and_image_layouts_are_written_as_asked()
    {
        foreach (var layout in new[] { "flat", "image" })
        {
            var path = Path.Combine(_dir, $"{layout}.onnx");
            var (code, _, stderr) = CliRunner.Run("export", "--model", "default", "--scale", "3", "-o", path, "--layout", layout);
            Assert.True(code == 0, stderr);
            Assert.Equal(Enum.Parse<OnnxLayout>(layout, ignoreCase: true), OnnxModelInfo.Read(path).Layout);
        }
    }

    [Fact]
    public void Upscale_with_the_onnx_backend_writes_the_same_png_as_libtorch()
    {
        var input = Path.Combine(CliRunner.SharedData, "Set5", "baby.png");
        var a = Path.Combine(_dir, "a.png");
        var b = Path.Combine(_dir, "b.png");
        Assert.Equal(0, CliRunner.Run("upscale", input, "-o", a, "--scale", "2").code);
        var (code, _, stderr) = CliRunner.Run("upscale", input, "-o", b, "--scale", "2", "--backend", "onnx");
        Assert.True(code == 0, stderr);
        using var x = Sr.Torch.io.ImageFile.Read(a);
        using var y = Sr.Torch.io.ImageFile.Read(b);
        var pa = x.Pixels.data<byte>();
        var pb = y.Pixels.data<byte>();
        Assert.Equal(pa.Length, pb.Length);
        // 8-bit output of values equal to ~1e-6: at most a rare one-level difference where a value sits on a rounding boundary.
        int differing = pa.Zip(pb).Count(p => p.First != p.Second);
        Assert.True(pa.Zip(pb).All(p => Math.Abs(p.First - p.Second) <= 1), "a pixel differs by more than one level");
        Assert.True(differing <= pa.Length / 10_000, $"{differing} of {pa.Length} values differ");
    }
}
