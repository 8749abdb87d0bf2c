using Sr.Models.Losses;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class LossesTests
{
    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    // real logits [2, −1, 0.5] (mean 0.5), fake [0, −0.5, −1] (mean −0.5); BCE(z, 1) = softplus(−z), BCE(z, 0) = softplus(z).
    [Fact]
    public void Ragan_discriminator_loss_equals_hand_computed_value()
    {
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 2, -1, 0.5f }, [3, 1]);
        var fake = tensor(new float[] { 0, -0.5f, -1 }, [3, 1]);
        // real − mean(fake) = [2.5, −0.5, 1] → target 1; fake − mean(real) = [−0.5, −1, −1.5] → target 0
        double expected = 0.5 * ((Softplus(-2.5) + Softplus(0.5) + Softplus(-1)) / 3 + (Softplus(-0.5) + Softplus(-1) + Softplus(-1.5)) / 3);
        Assert.Equal(0.392496726, expected, 8);
        Assert.Equal(expected, RelativisticGanLoss.Discriminator(real, fake).item<double>(), 5);
    }

    [Fact]
    public void Ragan_generator_loss_equals_hand_computed_value_and_does_not_reach_the_real_logits()
    {
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 2, -1, 0.5f }, [3, 1], requires_grad: true);
        var fake = tensor(new float[] { 0, -0.5f, -1 }, [3, 1], requires_grad: true);
        // real − mean(fake) → target 0; fake − mean(real) → target 1
        double expected = 0.5 * ((Softplus(2.5) + Softplus(-0.5) + Softplus(1)) / 3 + (Softplus(0.5) + Softplus(1) + Softplus(1.5)) / 3);
        Assert.Equal(1.392496726, expected, 8);
        var loss = RelativisticGanLoss.Generator(real, fake);
        Assert.Equal(expected, loss.item<double>(), 5);
        loss.backward();
        Assert.Null(real.grad);
        Assert.NotNull(fake.grad);
    }

    [Fact]
    public void Vgg19_extractor_has_torchvision_keys_up_to_conv5_4_and_is_frozen()
    {
        using var vgg = new Vgg19FeatureExtractor();
        var keys = vgg.state_dict().Keys.ToList();
        Assert.Equal(32, keys.Count); // 16 convs × (weight, bias)
        Assert.Contains("features.0.weight", keys);
        Assert.Contains("features.34.weight", keys);
        Assert.DoesNotContain("features.35.weight", keys);
        Assert.All(vgg.parameters(), p => Assert.False(p.requires_grad));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.Equal(new long[] { 1, 512, 2, 2 }, vgg.call(rand(1, 3, 32, 32)).shape);
    }

    [Fact]
    public void Vgg19_load_without_the_weights_file_fails_naming_the_file_and_where_to_put_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-srmlnet", Vgg19FeatureExtractor.TorchvisionFileName);
        var ex = Assert.Throws<FileNotFoundException>(() => Vgg19FeatureExtractor.Load(path, _ => throw new InvalidOperationException("must not read")));
        Assert.Contains("vgg19-dcbb9e9d.pth", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Vgg19_load_rejects_a_state_dict_without_the_features()
    {
        using var vgg = new Vgg19FeatureExtractor();
        var ex = Assert.Throws<InvalidDataException>(() => vgg.LoadTorchvision(new Dictionary<string, Tensor>(), "x.pth"));
        Assert.Contains("x.pth", ex.Message);
    }

    [Fact]
    public void Vgg19_loads_a_torchvision_layout_state_dict_file_ignoring_the_classifier()
    {
        using var source = new Vgg19FeatureExtractor();
        var dict = new Dictionary<string, Tensor>(source.state_dict());
        using var classifier = rand(10, 4);
        dict["classifier.0.weight"] = classifier;
        var path = Path.Combine(Path.GetTempPath(), $"srmlnet-vgg19-{Guid.NewGuid():N}.safetensors");
        try
        {
            Sr.Torch.Serialization.Safetensors.SaveStateDict(path, dict);
            using var loaded = Vgg19FeatureExtractor.Load(path);
            Assert.True(allclose(loaded.state_dict()["features.34.weight"], source.state_dict()["features.34.weight"]));
            Assert.All(loaded.parameters(), p => Assert.False(p.requires_grad));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Lpips_has_torchvision_alexnet_and_lpips_lin_keys_and_is_zero_for_identical_images()
    {
        using var lpips = new Lpips();
        var keys = lpips.state_dict().Keys.ToHashSet();
        foreach (var k in new[] { "features.0.weight", "features.10.bias", "lin0.model.1.weight", "lin4.model.1.weight" }) Assert.Contains(k, keys);
        Assert.Equal(10 + 5, keys.Count);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = rand(2, 3, 64, 64);
        var d = lpips.call(x, x);
        Assert.Equal(new long[] { 2 }, d.shape);
        Assert.Equal(0, d.abs().max().item<double>(), 6);
        Assert.Throws<FileNotFoundException>(() => Lpips.Load("/nowhere/alexnet-owt-7be5be79.pth", "/nowhere/alex.pth"));
    }
}
