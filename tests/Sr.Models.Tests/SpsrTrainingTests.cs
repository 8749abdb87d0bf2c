using Sr.Models.Losses;
using Sr.Models.Networks.Spsr;
using Sr.Models.Spsr;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class SpsrTrainingTests
{
    private static SpsrOptions Small(SpsrVariant variant = SpsrVariant.G, int branchInit = 0) => new()
    {
        Variant = variant, Scale = 4, Features = 8, Blocks = 1, Growth = 4, DiscriminatorFeatures = 8,
        BranchPretrain = branchInit > 0, BranchInitIterations = branchInit,
    };

    private static Dictionary<string, Tensor> Snapshot(nn.Module m) => m.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());

    private static bool Same(Tensor a, Tensor b) => a.sub(b).abs().max().item<double>() == 0;

    [Fact]
    public void Spsr_g_one_full_step_gives_every_parameter_of_g_d_img_and_d_grad_a_gradient_and_updates_them()
    {
        manual_seed(1);
        using var g = new SpsrNet(4, nf: 8, nb: 1, gc: 4);
        using var vgg = new Vgg19FeatureExtractor(); // random weights: tests never need the ImageNet file
        using var trainer = new SpsrGanTrainer(Small(), g, vgg);
        var before = new[] { Snapshot(g), Snapshot(trainer.ImageDiscriminator!), Snapshot(trainer.GradientDiscriminator!) };
        using var scope = NewDisposeScope();
        var hr = rand(2, 3, 128, 128);
        var lr = nn.functional.avg_pool2d(hr, 4);
        var losses = trainer.Step(lr, hr);

        Assert.False(losses.FusionOnly);
        foreach (var v in new[] { losses.Pixel, losses.Perceptual, losses.ImageGan, losses.GradientPixel, losses.GradientGan, losses.Branch, losses.ImageDiscriminator, losses.GradientDiscriminator })
            Assert.True(v > 0 && double.IsFinite(v));
        nn.Module[] nets = [g, trainer.ImageDiscriminator!, trainer.GradientDiscriminator!];
        for (int n = 0; n < 3; n++)
        {
            foreach (var (name, p) in nets[n].named_parameters())
                Assert.True(p.grad is not null, $"{nets[n].GetName}.{name} got no gradient");
            Assert.Contains(nets[n].named_parameters(), p => !Same(p.parameter, before[n][p.name]));
        }
        foreach (var d in before) foreach (var t in d.Values) t.Dispose();
    }

    [Fact]
    public void Spsr_g_fusion_only_phase_trains_only_f_parameters_then_everything()
    {
        manual_seed(2);
        using var g = new SpsrNet(4, nf: 8, nb: 1, gc: 4);
        using var trainer = new SpsrGanTrainer(Small(branchInit: 2) with { FeatureWeight = 0 }, g, null);
        var before = Snapshot(g);
        using var scope = NewDisposeScope();
        var hr = rand(2, 3, 128, 128);
        var lr = nn.functional.avg_pool2d(hr, 4);

        Assert.True(trainer.Step(lr, hr).FusionOnly); // iteration 1 < Branch_init_iters = 2
        foreach (var (name, p) in g.named_parameters())
        {
            if (SpsrNet.IsFusionParameter(name)) Assert.True(p.grad is not null, name);
            else
            {
                Assert.True(p.grad is null, $"{name} got a gradient in the fusion-only phase");
                Assert.True(Same(p, before[name]), $"{name} changed in the fusion-only phase");
            }
        }
        Assert.Contains(g.named_parameters(), p => SpsrNet.IsFusionParameter(p.name) && !Same(p.parameter, before[p.name]));

        Assert.False(trainer.Step(lr, hr).FusionOnly); // iteration 2: everything trains
        Assert.All(g.named_parameters(), p => Assert.True(p.parameter.grad is not null, p.name));
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void Spsr_perceptual_training_without_vgg19_weights_fails_at_start_naming_the_file()
    {
        using var g = new SpsrNet(4, nf: 8, nb: 1, gc: 4);
        var ex = Assert.Throws<InvalidOperationException>(() => new SpsrGanTrainer(Small() with { Vgg19WeightsPath = "/nowhere/vgg19-dcbb9e9d.pth" }, g, null));
        Assert.Contains("vgg19-dcbb9e9d.pth", ex.Message);
        Assert.Contains("/nowhere/", ex.Message);
    }

    [Theory]
    [InlineData(SpsrVariant.P)]
    [InlineData(SpsrVariant.J)]
    public void Spsr_p_and_j_replace_image_and_gradient_adversaries_with_the_structure_losses(SpsrVariant variant)
    {
        manual_seed(3);
        using var g = new SpsrNet(4, nf: 8, nb: 1, gc: 4);
        using var nse = new NeuralStructureExtractor();
        using var trainer = new SpsrGanTrainer(Small(variant) with { FeatureWeight = 0 }, g, null, nse);
        Assert.Null(trainer.ImageDiscriminator);
        Assert.Null(trainer.GradientDiscriminator);
        Assert.NotNull(trainer.StructureDiscriminator);
        var nseBefore = Snapshot(nse);
        using var scope = NewDisposeScope();
        var hr = rand(2, 3, 128, 128);
        var losses = trainer.Step(nn.functional.avg_pool2d(hr, 4), hr);
        Assert.Equal(0, losses.ImageGan);
        Assert.Equal(0, losses.GradientPixel);
        Assert.Equal(0, losses.GradientGan);
        Assert.True(losses.StructurePixel > 0 && losses.StructureGan > 0 && losses.StructureDiscriminator > 0);
        Assert.All(trainer.StructureDiscriminator!.named_parameters(), p => Assert.True(p.parameter.grad is not null, p.name));
        Assert.All(nse.named_parameters(), p => Assert.True(Same(p.parameter, nseBefore[p.name]), $"the NSE must stay frozen: {p.name}"));
        foreach (var t in nseBefore.Values) t.Dispose();
    }
}

public class SpsrInitTests
{
    [Fact]
    public void Spsr_initialises_its_sr_branch_from_a_trained_rrdbnet_except_the_rgb_conv()
    {
        using var rrdb = new RrdbNet(4, nf: 8, nb: 2, gc: 4);
        using var spsr = new SpsrNet(4, nf: 8, nb: 2, gc: 4);
        var copied = spsr.InitializeFromRrdb(rrdb.state_dict());
        // RRDBNet's keys minus its RGB conv model.10.{weight,bias}, all of which SPSR has under the same names.
        Assert.Equal(rrdb.state_dict().Count - 2, copied.Count);
        Assert.DoesNotContain("model.10.weight", copied);
        Assert.True(allclose(spsr.state_dict()["model.1.sub.1.RDB2.conv3.0.weight"], rrdb.state_dict()["model.1.sub.1.RDB2.conv3.0.weight"]));
    }

    [Fact]
    public void Spsr_p_without_a_structure_extractor_file_fails_naming_it()
    {
        using var g = new SpsrNet(4, nf: 8, nb: 1, gc: 4);
        var ex = Assert.Throws<FileNotFoundException>(() => SpsrGanTrainer.Create(new SpsrOptions { Variant = SpsrVariant.P, FeatureWeight = 0, StructureExtractorPath = "/nowhere/nse-p.safetensors" }, g));
        Assert.Contains("/nowhere/nse-p.safetensors", ex.Message);
    }
}
