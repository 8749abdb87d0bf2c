using Sr.Models.Inference;
using Sr.Models.Onnx;
using Sr.Models.Registry;
using Sr.Models.Upscaling;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

/// <summary>The ONNX Runtime backend gives what the libtorch backend gives, through the same tiling and ensemble.</summary>
public sealed class OnnxSuperResolverTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sr-onnx-backend-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<int, bool> TilingAndEnsemble() => new() { { 0, false }, { 7, false }, { 0, true }, { 6, true } };

    [Theory]
    [MemberData(nameof(TilingAndEnsemble))]
    public void Onnx_backend_equals_libtorch_backend(int tile, bool ensemble)
    {
        using var scope = NewDisposeScope();
        var options = new InferenceOptions { TileSize = tile, SelfEnsemble = ensemble };
        using var libtorch = DefaultModel.Load(2, options);
        using var onnx = OnnxSuperResolver.FromNetwork(libtorch.Network, options);
        var lr = OnnxExportTests.Set5Crop("head", 100, 90, 19, 23, y: true);
        var expected = libtorch.Upscale(lr, 2);
        var actual = onnx.Upscale(lr, 2);
        Assert.True(OnnxTestKit.MaxAbsDiff(expected, actual) <= 1e-4);
        Assert.Equal(("rsrnet-sr", 2, ColorSpace.Y), (onnx.Info.ModelName, onnx.Info.Scale, onnx.ColorSpace));
    }

    [Fact]
    public void Tiling_in_onnx_runtime_equals_the_whole_image()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var net = ModelRegistry.Create("btsrn", 3, new System.Text.Json.Nodes.JsonObject { ["Channels"] = 16, ["Bottleneck"] = 8 });
        OnnxTestKit.Randomize(net, gain: 1);
        using var whole = OnnxSuperResolver.FromNetwork(net);
        using var tiled = OnnxSuperResolver.FromNetwork(net, new InferenceOptions { TileSize = 9 });
        Assert.Equal(net.ReceptiveFieldRadius, whole.Info.ReceptiveFieldRadius);
        var lr = rand(1, 3, 23, 20);
        Assert.True(OnnxTestKit.MaxAbsDiff(whole.Upscale(lr, 3), tiled.Upscale(lr, 3)) <= 1e-5);
    }

    [Fact]
    public void Model_loader_runs_an_onnx_file_and_checks_its_scale()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir.FullName, "d2.onnx");
        using (var libtorch = DefaultModel.Load(2)) OnnxExporter.Export(libtorch.Network, path);
        using var reference = DefaultModel.Load(2);
        var loaded = ModelLoader.Load(path, 2);
        using var _ = (IDisposable)loaded;
        Assert.IsType<OnnxSuperResolver>(loaded);
        Assert.Equal("d2", loaded.Name);
        var lr = OnnxExportTests.Set5Crop("woman", 50, 40, 16, 13, y: true);
        Assert.True(OnnxTestKit.MaxAbsDiff(reference.Upscale(lr, 2), loaded.Upscale(lr, 2)) <= 1e-4);

        var e = Assert.Throws<ArgumentException>(() => ModelLoader.Load(path, 3));
        Assert.Contains(path, e.Message);
        Assert.Contains("×2", e.Message);
    }

    [Fact]
    public void Model_loader_honours_the_onnx_backend_for_the_default_model()
    {
        using var scope = NewDisposeScope();
        var loaded = ModelLoader.Load(DefaultModel.Name, 3, new InferenceOptions { Backend = InferenceBackend.Onnx });
        using var _ = (IDisposable)loaded;
        var onnx = Assert.IsType<OnnxSuperResolver>(loaded);
        Assert.Equal(3, onnx.Info.Scale);
        using var reference = DefaultModel.Load(3);
        var lr = OnnxExportTests.Set5Crop("bird", 60, 70, 14, 18, y: true);
        Assert.True(OnnxTestKit.MaxAbsDiff(reference.Upscale(lr, 3), loaded.Upscale(lr, 3)) <= 1e-4);
    }

    [Fact]
    public void A_flat_layout_file_runs_one_image_per_call_and_equals_the_nchw_file_tiled_or_not()
    {
        using var scope = NewDisposeScope();
        var flatPath = Path.Combine(_dir.FullName, "flat.onnx");
        manual_seed(5);
        using var net = new Networks.SrNet(2, new Networks.RsrNetOptions { Features = 4, DenseUnits = 1 });
        OnnxExporter.Export(net, flatPath, OnnxLayout.Flat);
        var lr = rand([2, 1, 13, 10]);
        var flat = (OnnxSuperResolver)ModelLoader.Load(flatPath, 2);
        using (flat)
        {
            using var nchw = OnnxSuperResolver.FromNetwork(net);
            using var tiledFlat = new OnnxSuperResolver(flatPath, new InferenceOptions { TileSize = 6 });
            var expected = nchw.Upscale(lr, 2);
            Assert.Equal(OnnxLayout.Flat, flat.Info.Layout);
            Assert.True(flat.Upscale(lr, 2).sub(expected).abs().max().item<float>() < 1e-6f);
            Assert.True(tiledFlat.Upscale(lr, 2).sub(expected).abs().max().item<float>() < 1e-6f);
        }
    }

    [Fact]
    public void Session_threads_follow_SR_NUM_THREADS_or_the_cores()
    {
        using var options = OnnxSuperResolver.CreateSessionOptions();
        var env = Environment.GetEnvironmentVariable("SR_NUM_THREADS");
        int expected = int.TryParse(env, out var v) && v > 0 ? v : Environment.ProcessorCount;
        Assert.Equal(expected, options.IntraOpNumThreads);
        Assert.Equal(1, options.InterOpNumThreads);
        Assert.Equal(Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL, options.GraphOptimizationLevel);
        Assert.True(options.EnableCpuMemArena);
    }
}
