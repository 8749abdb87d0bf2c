using System.Text.Json.Nodes;
using Sr.Models.Inference;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class InferenceTests
{
    public static TheoryData<string> Models => new(ModelRegistry.All.Take(8).Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Models))]
    public void Tiled_inference_equals_whole_image_inference(string model)
    {
        // Tiles of 8 LR pixels with the network's receptive radius as context: the seams must not show (1e-5).
        // In float64, so that what is measured is the tiling, not float32 rounding of convolution algorithms that
        // differ with the input size (≈1e-5 on the deep randomly initialised nets, whose activations are large).
        using var scope = NewDisposeScope();
        manual_seed(7);
        // Narrower (and for VDSR shallower) than the paper's models to keep float64 cheap; the receptive radius, which
        // the tiler relies on, is computed from the same options.
        var small = model switch
        {
            "btsrn" => new JsonObject { ["Channels"] = 32, ["Bottleneck"] = 16 },
            "glrl" => new JsonObject { ["Channels"] = 16 },
            "vdsr" => new JsonObject { ["Channels"] = 16, ["Depth"] = 10 },
            _ => null,
        };
        using var net = ModelRegistry.Create(model, 2, small);
        net.to(ScalarType.Float64);
        var lr = rand([1, net.Channels, 27, 30], ScalarType.Float64);
        using var whole = new NetworkSuperResolver(net);
        using var tiled = new NetworkSuperResolver(net, options: new InferenceOptions { TileSize = 8 });
        var a = whole.Upscale(lr, 2);
        var b = tiled.Upscale(lr, 2);
        Assert.Equal(new long[] { 1, net.Channels, 54, 60 }, b.shape);
        var diff = (a - b).abs().max().item<double>();
        Assert.True(diff <= 1e-5, $"{model}: max |tiled − whole| = {diff}");
    }

    [Fact]
    public void Btsrn_same_padding_tiles_equal_whole_image()
    {
        using var scope = NewDisposeScope();
        using var net = new Btsrn(3, new BtsrnOptions { ValidConvolutions = false, Channels = 32, Bottleneck = 16 });
        var lr = rand(1, 3, 13, 17);
        using var whole = new NetworkSuperResolver(net);
        using var tiled = new NetworkSuperResolver(net, options: new InferenceOptions { TileSize = 6 });
        Assert.True(allclose(whole.Upscale(lr, 3), tiled.Upscale(lr, 3), 0, 1e-5));
    }

    [Fact]
    public void Self_ensemble_keeps_the_shape_and_is_exact_for_a_symmetric_method()
    {
        // VDSR with its last layer zeroed is MATLAB bicubic, which commutes with flips and quarter turns: the
        // average of the 8 transformed runs is the plain run. A random network's ensemble differs but keeps the shape.
        using var scope = NewDisposeScope();
        var lr = rand(2, 1, 7, 9);
        using var vdsr = new Vdsr(2, new VdsrOptions { Channels = 16 });
        using (no_grad()) foreach (var (name, p) in vdsr.named_parameters()) if (name.StartsWith("layers.19.")) p.zero_();
        using var plain = new NetworkSuperResolver(vdsr);
        using var ensemble = new NetworkSuperResolver(vdsr, options: new InferenceOptions { SelfEnsemble = true });
        var e = ensemble.Upscale(lr, 2);
        Assert.Equal(new long[] { 2, 1, 14, 18 }, e.shape);
        Assert.True(allclose(plain.Upscale(lr, 2), e, 0, 1e-5));

        using var srnet = new SrNet(3);
        using var srEnsemble = new NetworkSuperResolver(srnet, options: new InferenceOptions { SelfEnsemble = true, TileSize = 4 });
        Assert.Equal(new long[] { 2, 1, 21, 27 }, srEnsemble.Upscale(lr, 3).shape);
    }

    [Fact]
    public void Output_is_clamped_and_wrong_scale_or_channels_are_refused()
    {
        using var scope = NewDisposeScope();
        using var net = new Srcnn(2);
        using var resolver = new NetworkSuperResolver(net, "srcnn-test");
        var sr = resolver.Upscale(rand(1, 1, 5, 5) * 3 - 1, 2);
        Assert.True(sr.min().item<float>() >= 0 && sr.max().item<float>() <= 1);
        var scale = Assert.Throws<ArgumentException>(() => resolver.Upscale(rand(1, 1, 5, 5), 3));
        Assert.Contains("scale 2", scale.Message);
        Assert.Throws<ArgumentException>(() => resolver.Upscale(rand(1, 3, 5, 5), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkSuperResolver(net, options: new InferenceOptions { TileSize = 8, TileOverlap = 1 }));
    }
}
