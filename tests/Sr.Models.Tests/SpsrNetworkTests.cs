using Sr.Models.Networks.Spsr;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class SpsrNetworkTests
{
    // By hand (3×3 convs with bias unless stated; nf = 64, gc = 32, RRDB(64) = 719,424, RRDB(128) = 1,493,760):
    //   RDB(128): (128 + 160 + 192 + 224)·32·9 + 4·32 + 256·128·9 + 128 = 202,880 + 295,040 = 497,920 → RRDB(128) = 1,493,760
    //   SR branch = RRDBNet ×4 − conv_last(1,731) + HR_conv1_new(36,928) = 16,733,184
    //   gradient branch = b_fea_conv 1,792 + 4 RRDB(128) 5,975,040 + 4 b_concat(128→64) 295,168 + b_LR_conv 36,928
    //                     + 2 up-convs 73,856 + b_HR_conv0/1 73,856 + conv_w 1×1 64→3 195 = 6,456,835
    //   fusion = f_block 1,493,760 + f_concat 73,792 + f_HR_conv0 36,928 + f_HR_conv1 64→3 1,731 = 1,606,211
    //   ×4 total = 24,796,230; ×2 and ×3 have one up-conv per branch: 24,796,230 − 2·36,928 = 24,722,374
    [Theory]
    [InlineData(4, 24_796_230)]
    [InlineData(3, 24_722_374)]
    [InlineData(2, 24_722_374)]
    public void Spsr_paper_configuration_parameter_count(int scale, long expected)
    {
        using var net = new SpsrNet(scale);
        Assert.Equal(expected, net.ParameterCount());
    }

    [Fact]
    public void Spsr_gradient_branch_taps_rrdb_5_10_15_20_in_the_paper_configuration()
    {
        Assert.Equal(new[] { 5, 10, 15, 20 }, SpsrNet.GradientTaps(23));
        Assert.Equal(new[] { 1, 2, 3, 4 }, SpsrNet.GradientTaps(4));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Spsr_small_returns_sr_image_branch_gradient_map_and_lr_gradient(int scale)
    {
        using var scope = NewDisposeScope();
        using var net = new SpsrNet(scale, nf: 8, nb: 2, gc: 4);
        using var _ = no_grad();
        using var o = net.ForwardAll(rand(2, 3, 9, 11));
        Assert.Equal(new long[] { 2, 3, 9 * scale, 11 * scale }, o.Image.shape);
        Assert.Equal(new long[] { 2, 3, 9 * scale, 11 * scale }, o.GradientMap.shape);
        Assert.Equal(new long[] { 2, 3, 9, 11 }, o.LrGradient.shape);
        var sr = net.call(rand(1, 3, 9, 11));
        Assert.Equal(new long[] { 1, 3, 9 * scale, 11 * scale }, sr.shape);
    }

    [Fact]
    public void Spsr_fusion_parameters_are_exactly_the_f_blocks()
    {
        using var net = new SpsrNet(4, nf: 8, nb: 1, gc: 4);
        var fusion = net.named_parameters().Where(p => SpsrNet.IsFusionParameter(p.name)).Select(p => p.name.Split('.')[0]).ToHashSet();
        Assert.Equal(new HashSet<string> { "f_block", "f_concat", "f_HR_conv0", "f_HR_conv1" }, fusion);
        Assert.Contains("HR_conv1_new.0.weight", net.state_dict().Keys);
        // ×4: two up-sampling stages (upsample, conv, LReLU at 0–5), b_HR_conv0 (6, 7), b_HR_conv1 (8), as upstream's flattened Sequential.
        Assert.Contains("b_module.4.weight", net.state_dict().Keys);
        Assert.Contains("b_module.8.weight", net.state_dict().Keys);
    }

    [Fact]
    public void Gradient_operator_on_a_known_image_equals_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        // One channel, 3×3, I(i,j) = 3i + j:  0 1 2 / 3 4 5 / 6 7 8; zero outside.
        var img = tensor(new float[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, [1, 1, 3, 3]);
        var m1 = ImageGradient.Magnitude(img, ImageGradient.BranchPadding).data<float>();
        // centre: v = I(2,1) − I(0,1) = 7 − 1 = 6, h = I(1,2) − I(1,0) = 5 − 3 = 2 → sqrt(36 + 4 + 1e-6)
        Assert.Equal(Math.Sqrt(40 + 1e-6), m1[4], 5);
        // corner (0,0): v = I(1,0) − 0 = 3, h = I(0,1) − 0 = 1 → sqrt(10 + 1e-6)
        Assert.Equal(Math.Sqrt(10 + 1e-6), m1[0], 5);
        // corner (2,2): v = 0 − I(1,2) = −5, h = 0 − I(2,1) = −7 → sqrt(74 + 1e-6)
        Assert.Equal(Math.Sqrt(74 + 1e-6), m1[8], 5);

        var m2 = ImageGradient.Magnitude(img, ImageGradient.LossPadding);
        Assert.Equal(new long[] { 1, 1, 5, 5 }, m2.shape); // pad 2: (H+2)×(W+2)
        var d2 = m2.data<float>();
        Assert.Equal(1e-3, d2[0], 6);                      // all-zero neighbourhood → sqrt(1e-6)
        Assert.Equal(Math.Sqrt(10 + 1e-6), d2[6], 5);       // output (1,1) is input (0,0)
        // output (0,1) is input (−1,0): v = I(0,0) − 0 = 0, h = 0 → 1e-3; output (0,2) is (−1,1): v = I(0,1) = 1 → sqrt(1 + 1e-6)
        Assert.Equal(Math.Sqrt(1 + 1e-6), d2[2], 5);
    }

    [Fact]
    public void Gradient_operator_works_per_colour_channel()
    {
        using var scope = NewDisposeScope();
        var img = rand(1, 3, 6, 6);
        var all = ImageGradient.Magnitude(img, 2);
        var g = ImageGradient.Magnitude(img.narrow(1, 1, 1), 2);
        Assert.True(allclose(all.narrow(1, 1, 1), g));
        Assert.Equal(new long[] { 1, 3, 8, 8 }, all.shape);
    }

    [Fact]
    public void Vgg128_discriminator_has_14502281_parameters_and_takes_128_and_130_inputs()
    {
        // By hand: convs (k3: in·out·9 + out; k4: in·out·16 + out) 1,792 + 65,600 + 73,856 + 262,272 + 295,168
        //   + 1,048,832 + 1,180,160 + 4,194,816 + 2,359,808 + 4,194,816 = 13,677,120; BN 2·(64+128+128+256+256+512·4) = 5,760;
        //   Linear 8192·100 + 100 = 819,300; Linear 100 + 1 = 101 → 14,502,281.
        using var d = new VggDiscriminator();
        Assert.Equal(14_502_281, d.ParameterCount());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.Equal(new long[] { 2, 1 }, d.call(rand(2, 3, 128, 128)).shape);
        Assert.Equal(new long[] { 2, 1 }, d.call(rand(2, 3, 130, 130)).shape);
        var ex = Assert.Throws<ArgumentException>(() => d.call(rand(2, 3, 64, 64)));
        Assert.Contains("4×4", ex.Message);
    }

    [Fact]
    public void Structure_discriminator_takes_32_channel_features_at_a_quarter_of_128()
    {
        using var d = new VggDiscriminator(inChannels: 32, downsamplingStages: 3, nf: 8);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.Equal(new long[] { 2, 1 }, d.call(rand(2, 32, 32, 32)).shape);
    }
}

public class SpsrModelsTests
{
    [Fact]
    public void Spsr_registry_entries_create_small_networks_from_json_options()
    {
        var names = Sr.Models.Spsr.SpsrModels.All.Select(m => m.Name).ToArray();
        Assert.Equal(new[] { "rrdbnet", "spsr-g", "spsr-p", "spsr-j" }, names);
        var options = System.Text.Json.Nodes.JsonNode.Parse("""{"nf": 8, "nb": 1, "gc": 4}""")!.AsObject();
        using var net = Sr.Models.Spsr.SpsrModels.SpsrG.Create(3, options);
        var spsr = Assert.IsType<SpsrNet>(net);
        Assert.Equal((3, 8, 1, 4), (spsr.Scale, spsr.Features, spsr.Blocks, spsr.Growth));
        Assert.Equal(new[] { 50_000, 100_000, 200_000, 300_000 }, Sr.Models.Spsr.SpsrModels.SpsrG.Recipe.LrMilestones);
    }
}
