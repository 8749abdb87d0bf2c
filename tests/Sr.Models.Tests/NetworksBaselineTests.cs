using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class NetworksBaselineTests
{
    // SRCNN 9-1-5, n1 = 64, n2 = 32: 9·9·1·64 + 64 = 5,248; 1·1·64·32 + 32 = 2,080; 5·5·32·1 + 1 = 801 → 8,129 (every scale).
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Srcnn_915_has_8129_parameters_and_full_hr_output(int scale)
    {
        using var net = new Srcnn(scale);
        Assert.Equal(8_129, net.ParameterCount());
        NetworksTestKit.AssertOutputShape(net, 5, 6);
    }

    // VDSR: 3·3·1·64 + 64 = 640; 18 × (3·3·64·64 + 64) = 18 × 36,928 = 664,704; 3·3·64·1 + 1 = 577 → 665,921.
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Vdsr_20_layers_has_665921_parameters_and_full_hr_output(int scale)
    {
        using var net = new Vdsr(scale);
        Assert.Equal(665_921, net.ParameterCount());
        NetworksTestKit.AssertOutputShape(net, 4, 5);
    }

    [Fact]
    public void Srcnn_and_vdsr_gradients_reach_every_parameter()
    {
        using var srcnn = new Srcnn(3);
        using var lr = rand(1, 1, 5, 5);
        NetworksTestKit.AssertEveryParameterGetsGradient(srcnn, lr);
        using var vdsr = new Vdsr(2);
        NetworksTestKit.AssertEveryParameterGetsGradient(vdsr, lr);
    }

    [Fact]
    public void Vdsr_with_zero_last_layer_is_matlab_bicubic()
    {
        using var scope = NewDisposeScope();
        using var net = new Vdsr(3);
        using (no_grad()) foreach (var (name, p) in net.named_parameters()) if (name.StartsWith("layers.19.")) p.zero_();
        var lr = rand(1, 1, 6, 7);
        using var up = new BicubicUpsample(3);
        using (no_grad()) Assert.True(allclose(net.call(lr), up.call(lr), 1e-6, 1e-6));
    }
}
