using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Sr.Models.Inference;
using Sr.Models.Networks;
using Sr.Models.Onnx;
using Sr.Models.Registry;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;
using Xunit.Abstractions;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

/// <summary>
/// Every network exported to ONNX computes in ONNX Runtime what its libtorch forward computes (evaluation mode, inference
/// mode), at two LR sizes through one exported file (so H and W really are dynamic).
/// </summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    /// <summary>LR sizes (h, w): different aspect ratios, odd and even, small so the whole table runs in seconds.</summary>
    private static readonly (int h, int w)[] Sizes = [(12, 17), (20, 9)];

    public static TheoryData<string, int, string?, double> Networks()
    {
        var data = new TheoryData<string, int, string?, double>();
        // The SPSR generator is deep (RRDBs of RDBs with 0.2-scaled residuals) and its tolerance is the 1e-3; the others 1e-4.
        const string small = """{"nf": 8, "nb": 2, "gc": 8}""";
        foreach (int s in new[] { 2, 3, 4 })
        {
            data.Add("rsrnet-sr", s, null, 1e-4);
            data.Add("srcnn", s, null, 1e-4);
            data.Add("vdsr", s, null, 1e-4);
            data.Add("glrl", s, null, 1e-4);
            data.Add("rsrnet", s, null, 1e-4);
            data.Add("btsrn", s, null, 1e-4);
            data.Add("lsp", s, null, 1e-4);
            data.Add("lsp-hsp", s, null, 1e-4);
            data.Add("rrdbnet", s, """{"nf": 8, "nb": 1, "gc": 8}""", 1e-4);
            data.Add("spsr-g", s, small, 1e-3);
            data.Add("spsr-p", s, small, 1e-3);
            data.Add("spsr-j", s, small, 1e-3);
        }
        // BTSRN's other paths: 'same' padding (no mirror, no crop) and the literal transposed convolution + nearest skip.
        data.Add("btsrn", 2, """{"ValidConvolutions": false, "FastUpsampling": false}""", 1e-4);
        data.Add("btsrn", 4, """{"ValidConvolutions": false, "FastUpsampling": false}""", 1e-4);
        data.Add("btsrn", 3, """{"FastUpsampling": false, "Channels": 32, "Bottleneck": 16}""", 1e-4);
        // LSP's placement toward the edge, and no placement at all (a plain Shepard-normalised deconvolution).
        data.Add("lsp", 2, """{"PlacementTowardEdge": true}""", 1e-4);
        data.Add("lsp", 3, """{"PixelPlacement": false}""", 1e-4);
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Onnx_runtime_equals_the_libtorch_forward_at_two_sizes(string model, int scale, string? options, double tolerance)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var net = ModelRegistry.Create(model, scale, options is null ? null : JsonNode.Parse(options)!.AsObject());
        // BTSRN's ten unscaled residual blocks at width 128 take He-initialised activations to ~100, where float32 rounding of
        // 576-term dot products alone reaches 1e-4 (seen: 1.3e-4 at |y| = 69): LeCun's variance keeps its outputs near 1-10.
        OnnxTestKit.Randomize(net, gain: model == "btsrn" ? 1 : 2);
        net.eval();
        var bytes = OnnxExporter.Export(net);
        using var session = OnnxTestKit.Session(bytes);
        foreach (var (h, w) in Sizes)
        {
            var lr = rand(1, net.Channels, h, w);
            var expected = OnnxTestKit.Forward(net, lr);
            var actual = OnnxTestKit.Run(session, lr);
            Assert.Equal(new long[] { 1, net.Channels, h * scale, w * scale }, actual.shape);
            double diff = OnnxTestKit.MaxAbsDiff(expected, actual);
            double magnitude = OnnxTestKit.MaxAbs(expected);
            output.WriteLine($"{model} ×{scale} at {h}×{w}: max |Δ| = {diff:E2} (max |y| = {magnitude:G3})");
            Assert.True(magnitude > 0.1, $"{model} ×{scale}: the output is nearly zero ({magnitude:E2}), so the comparison would prove nothing");
            Assert.True(diff <= tolerance, $"{model} ×{scale} at {h}×{w}: max |Δ| = {diff:E2} > {tolerance:E0}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Rsrnet_reducer_export_equals_rrnet_with_its_qbrelu(int scale)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var net = (RsrNet)ModelRegistry.Create("rsrnet", scale);
        OnnxTestKit.Randomize(net);
        net.eval();
        using var session = OnnxTestKit.Session(OnnxExporter.ExportReducer(net));
        foreach (var (h, w) in new[] { (25, 34), (40, 19) })
        {
            var hr = rand(1, 1, h, w);
            Tensor expected;
            using (inference_mode()) expected = net.Reduce(hr);
            var actual = OnnxTestKit.Run(session, hr);
            Assert.Equal(new long[] { 1, 1, h / scale, w / scale }, actual.shape);
            double diff = OnnxTestKit.MaxAbsDiff(expected, actual);
            output.WriteLine($"rsrnet reducer ×{scale} at {h}×{w}: max |Δ| = {diff:E2}");
            Assert.True(diff <= 1e-6, $"reducer ×{scale}: max |Δ| = {diff:E2}");
            // Not all clamped: levels strictly inside (0, 1) occur, so the quantisation itself is compared.
            Assert.True(expected.gt(0).logical_and(expected.lt(1)).any().item<bool>());
        }
    }

    [Fact]
    public void Batch_dimension_is_dynamic()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = ModelRegistry.Create("rsrnet-sr", 2);
        using var session = OnnxTestKit.Session(OnnxExporter.Export(net));
        var lr = rand(3, 1, 8, 11);
        Assert.True(OnnxTestKit.MaxAbsDiff(OnnxTestKit.Forward(net, lr), OnnxTestKit.Run(session, lr)) <= 1e-4);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Default_model_on_a_Set5_crop_equals_libtorch(int scale)
    {
        using var scope = NewDisposeScope();
        using var resolver = DefaultModel.Load(scale);
        var lr = Set5Crop("butterfly", 40, 24, 31, 27, y: true);
        using var session = OnnxTestKit.Session(OnnxExporter.Export(resolver.Network));
        var expected = OnnxTestKit.Forward(resolver.Network, lr);
        var actual = OnnxTestKit.Run(session, lr);
        double diff = OnnxTestKit.MaxAbsDiff(expected, actual);
        output.WriteLine($"default ×{scale} on a butterfly crop: max |Δ| = {diff:E2}");
        Assert.True(diff <= 1e-4, $"default ×{scale}: max |Δ| = {diff:E2}");
        // The trained model really does something here (not a flat crop): its output spans a range of intensities.
        Assert.True(expected.max().item<float>() - expected.min().item<float>() > 0.2);
    }

    [Fact]
    public void Flat_layout_gives_the_nchw_values_clamped_with_the_output_size()
    {
        using var scope = NewDisposeScope();
        using var resolver = DefaultModel.Load(3);
        var net = resolver.Network;
        var flat = OnnxExporter.Export(net, OnnxLayout.Flat);
        Assert.Equal(OnnxLayout.Flat, OnnxModelInfo.Read(flat).Layout);
        using var nchw = OnnxTestKit.Session(OnnxExporter.Export(net));
        using var session = OnnxTestKit.Session(flat);
        foreach (var (h, w) in Sizes)
        {
            // A crop of a real picture, so values near 0 and 1 (where the clamp acts) occur.
            var lr = Set5Crop("bird", 30, 40, h, w, y: true);
            var expected = OnnxTestKit.Run(nchw, lr).clamp(0, 1);
            using var pixels = OrtValue.CreateTensorValueFromMemory(lr.contiguous().data<float>(), [1, lr.numel()]);
            using var hw = OrtValue.CreateTensorValueFromMemory(new long[] { h, w }, [2]);
            using var results = session.Run(new RunOptions(), ["pixels", "hw"], [pixels, hw], ["out", "out_hw"]);
            Assert.Equal(new long[] { 1, expected.numel() }, results[0].GetTensorTypeAndShape().Shape);
            Assert.Equal(new long[] { 3L * h, 3L * w }, results[1].GetTensorDataAsSpan<long>().ToArray());
            var actual = OnnxTestKit.ToTensor(results[0]).reshape(expected.shape);
            Assert.True(OnnxTestKit.MaxAbsDiff(expected, actual) <= 1e-6);
            Assert.True(actual.min().item<float>() >= 0 && actual.max().item<float>() <= 1);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Image_layout_equals_the_image_upscaler_on_a_Set5_crop(int scale)
    {
        using var scope = NewDisposeScope();
        using var resolver = DefaultModel.Load(scale);
        using var session = OnnxTestKit.Session(OnnxExporter.Export(resolver.Network, OnnxLayout.Image));
        var rgb = Set5Crop("baby", 100, 60, 21, 14, y: false);
        var expected = ImageUpscaler.Upscale(rgb, resolver, scale);
        var actual = OnnxTestKit.Run(session, rgb, "image", "image_out");
        double diff = OnnxTestKit.MaxAbsDiff(expected, actual);
        output.WriteLine($"image layout ×{scale}: max |Δ| = {diff:E2}");
        Assert.True(diff <= 1e-4, $"image layout ×{scale}: max |Δ| = {diff:E2}");
    }

    [Fact]
    public void Image_layout_of_an_rgb_network_is_the_network_and_a_clamp()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var net = ModelRegistry.Create("btsrn", 2, JsonNode.Parse("""{"Channels": 16, "Bottleneck": 8}""")!.AsObject());
        OnnxTestKit.Randomize(net, gain: 1);
        using var resolver = new NetworkSuperResolver(net);
        using var session = OnnxTestKit.Session(OnnxExporter.Export(net, OnnxLayout.Image));
        var rgb = Set5Crop("butterfly", 70, 80, 13, 16, y: false);
        var expected = ImageUpscaler.Upscale(rgb, resolver, 2);
        var actual = OnnxTestKit.Run(session, rgb, "image", "image_out");
        double diff = OnnxTestKit.MaxAbsDiff(expected, actual);
        output.WriteLine($"image layout, btsrn ×2: max |Δ| = {diff:E2}");
        Assert.True(diff <= 1e-4, $"image layout (RGB network): max |Δ| = {diff:E2}");
        // Random weights push many values past [0,1]: the clamp is exercised.
        Assert.True(expected.eq(0).any().item<bool>() || expected.eq(1).any().item<bool>());
    }

    [Fact]
    public void Metadata_says_what_the_model_is()
    {
        using var net = ModelRegistry.Create("rsrnet-sr", 3, JsonNode.Parse("""{"Features": 8, "DenseUnits": 2}""")!.AsObject());
        var info = OnnxModelInfo.Read(OnnxExporter.Export(net));
        Assert.Equal("rsrnet-sr", info.ModelName);
        Assert.Equal(3, info.Scale);
        Assert.Equal(ColorSpace.Y, info.ColorSpace);
        Assert.Equal(OnnxLayout.Nchw, info.Layout);
        Assert.Equal(OnnxExporter.Opset, info.Opset);
        Assert.Equal(8, info.Options!["Features"]!.GetValue<int>());
        Assert.Equal(2, info.Options!["DenseUnits"]!.GetValue<int>());
    }

    [Fact]
    public void Export_to_a_file_writes_a_readable_model_and_leaves_no_temporary_file()
    {
        var dir = Directory.CreateTempSubdirectory("sr-onnx-");
        try
        {
            using var net = new SrNet(2);
            var path = Path.Combine(dir.FullName, "m.onnx");
            OnnxExporter.Export(net, path, OnnxLayout.Image);
            var info = OnnxModelInfo.Read(path);
            Assert.Equal(("rsrnet-sr", OnnxLayout.Image, path), (info.ModelName, info.Layout, info.Source));
            Assert.Single(dir.GetFiles());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A crop of a Set5 picture as 1×1×h×w Y (MATLAB rgb2ycbcr on the uint8 pixels) or 1×3×h×w RGB in [0,1].</summary>
    internal static Tensor Set5Crop(string name, int top, int left, int h, int w, bool y)
    {
        using var image = ImageFile.Read(ImagingTestData.Path("Set5", name + ".png"));
        using var converted = Imaging.ImageTensor.FromDecoded(image);
        using var crop = converted.Image.narrow(2, top, h).narrow(3, left, w);
        return y ? Imaging.ColorConversion.RgbToY(crop).contiguous() : crop.contiguous();
    }
}
