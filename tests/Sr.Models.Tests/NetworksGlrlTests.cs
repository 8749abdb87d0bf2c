using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class NetworksGlrlTests
{
    // C = 64, 3×3 convs (9·cin·cout + cout), PReLU channel-wise (64 each):
    //   extraction: conv 1→64 640 + PReLU 64 + conv 64→64 36,928                          =  37,632
    //   LRB: 3 × (PReLU 64 + conv 36,928) (deep a, deep b shared across 2 units; shallow) = 110,976; × 3 blocks = 332,928
    //   reconstruction (shared): PReLU 64 + conv 36,928 + PReLU 64 + conv 64→1 577         =  37,633
    //   average weights: 3
    //   total: 37,632 + 332,928 + 37,633 + 3 = 408,196 (every scale: the input is pre-interpolated)
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Glrl_three_blocks_has_408196_parameters_and_full_hr_output(int scale)
    {
        using var net = new Glrl(scale);
        Assert.Equal(408_196, net.ParameterCount());
        NetworksTestKit.AssertOutputShape(net, 4, 5);
    }

    [Fact]
    public void Glrl_is_sixteen_layers_deep_with_three_local_residual_blocks()
    {
        using var net = new Glrl(2);
        Assert.Equal(3, net.named_modules().Count(m => m.module is Glrl.LocalResidualBlock));
        // Longest path: 2 extraction + 3 blocks × 2 units × 2 convs + 2 reconstruction = 16 (unique convs: 2 + 9 + 2).
        Assert.Equal(13, net.named_modules().Count(m => m.module is nn.Conv2d));
    }

    [Fact]
    public void Glrl_gradients_reach_every_parameter()
    {
        using var net = new Glrl(2);
        using var lr = rand(1, 1, 5, 5);
        NetworksTestKit.AssertEveryParameterGetsGradient(net, lr);
    }
}
