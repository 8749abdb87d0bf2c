using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class NetworksBtsrnTests
{
    // Layer table (notes §3.1, official model_resnet_up.py), C = 128, bottleneck 64:
    //   in 1×1 3→128:               3·128 + 128            =     512
    //   PConv block: 1×1 128→64:    128·64 + 64            =   8,256
    //                3×3 64→128:    64·128·9 + 128         =  73,856   → 82,112 per block
    //   up (k = s, stride s) 128→128: 128·128·s² + 128     = 65,664 (s=2) / 147,584 (s=3)
    //   out 1×1 128→3:              128·3 + 3              =     387
    // ×2: 512 + 10·82,112 + 65,664 + 387            =   887,683
    // ×3: 512 + 10·82,112 + 147,584 + 387           =   969,603
    // ×4: 512 + 11·82,112 + 2·65,664 + 387          = 1,035,459 (the 11th block sits between the two ×2 stages)
    [Theory]
    [InlineData(2, 887_683)]
    [InlineData(3, 969_603)]
    [InlineData(4, 1_035_459)]
    public void Btsrn_parameter_count_matches_the_layer_table(int scale, long expected)
    {
        using var net = new Btsrn(scale);
        Assert.Equal(expected, net.ParameterCount());
    }

    [Fact]
    public void Btsrn_x4_has_eleven_pconv_blocks()
    {
        using var net = new Btsrn(4);
        int blocks = net.named_modules().Count(m => m.module is Btsrn.PConvBlock);
        Assert.Equal(11, blocks);
        Assert.Contains("up_conv.conv.weight", net.state_dict().Keys);
        Assert.Equal(new long[] { 128, 128, 2, 2 }, net.state_dict()["up1.deconv.weight"].shape);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    public void Btsrn_output_is_scale_times_input(int scale, bool valid)
    {
        using var net = new Btsrn(scale, new BtsrnOptions { ValidConvolutions = valid });
        NetworksTestKit.AssertOutputShape(net, 7, 9);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Btsrn_fast_upsampling_equals_transposed_convolution(int scale)
    {
        using var scope = NewDisposeScope();
        using var fast = new Btsrn(scale);
        using var plain = new Btsrn(scale, new BtsrnOptions { FastUpsampling = false });
        plain.load_state_dict(fast.state_dict());
        // Non-zero biases so the bias layout of the rewrite is checked too.
        using (no_grad()) foreach (var (name, p) in fast.named_parameters()) if (name.EndsWith("bias")) { p.uniform_(-0.1, 0.1); }
        plain.load_state_dict(fast.state_dict());
        var lr = rand(1, 3, 6, 5);
        using (no_grad()) Assert.True(allclose(fast.call(lr), plain.call(lr), 1e-4, 1e-5));
    }

    [Fact]
    public void Btsrn_gradients_reach_every_parameter()
    {
        using var net = new Btsrn(4);
        using var lr = rand(1, 3, 5, 5);
        NetworksTestKit.AssertEveryParameterGetsGradient(net, lr);
    }

    [Fact]
    public void Btsrn_zero_residual_gives_matlab_bicubic()
    {
        // With the output layer zeroed, BTSRN is exactly its residual base: bicubic(LR).
        using var scope = NewDisposeScope();
        using var net = new Btsrn(2);
        using (no_grad()) foreach (var (name, p) in net.named_parameters()) if (name.StartsWith("conv_out")) p.zero_();
        var lr = rand(1, 3, 6, 6);
        using var up = new BicubicUpsample(2);
        using (no_grad()) Assert.True(allclose(net.call(lr), up.call(lr), 1e-6, 1e-6));
    }
}
