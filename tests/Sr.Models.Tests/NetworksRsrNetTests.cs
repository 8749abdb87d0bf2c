using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class NetworksRsrNetTests
{
    // Table 2, 64 maps, Y (1 channel), d = scale:
    // RRNet: 3×3 1→64: 9·64 + 64 = 640; 2 × 3×3 64→64: 2·(9·64·64 + 64) = 73,856; d×d 64→1 stride d: 64·d² + 1
    //   d=2: 640 + 73,856 + 257 = 74,753   d=3: … + 577 = 75,073   d=4: … + 1,025 = 75,521
    // SRNet: 3×3 1→64: 640; dense units (1×1 64u→64 + 3×3 64→64): u=1 4,160 + 36,928; u=2 8,256 + 36,928; u=3 12,352 + 36,928
    //   = 640 + 135,552 = 136,192; final 1×1 256→d²: 256·d² + d²
    //   d=2: 136,192 + 1,028 = 137,220   d=3: + 2,313 = 138,505   d=4: + 4,112 = 140,304
    [Theory]
    [InlineData(2, 74_753, 137_220)]
    [InlineData(3, 75_073, 138_505)]
    [InlineData(4, 75_521, 140_304)]
    public void RsrNet_parameter_counts_match_table_2(int scale, long rrnet, long srnet)
    {
        using var sr = new SrNet(scale);
        Assert.Equal(srnet, sr.ParameterCount());
        using var rr = new RrNet(scale);
        Assert.Equal(rrnet, rr.ParameterCount());
        using var both = new RsrNet(scale);
        Assert.Equal(rrnet + srnet, both.ParameterCount());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RsrNet_shapes_reduce_by_d_and_super_resolve_by_d(int scale)
    {
        using var scope = NewDisposeScope();
        using var net = new RsrNet(scale);
        NetworksTestKit.AssertOutputShape(net, 6, 7);
        using var srOnly = new SrNet(scale);
        NetworksTestKit.AssertOutputShape(srOnly, 6, 7);
        var hr = rand(2, 1, 12 * scale, 5 * scale);
        using (no_grad())
        {
            Assert.Equal(new long[] { 2, 1, 12, 5 }, net.Reduce(hr).shape);
            Assert.Equal(hr.shape, net.ReduceAndSuperResolve(hr).shape);
        }
    }

    [Fact]
    public void RsrNet_learned_lr_is_quantised_to_256_levels_in_0_1()
    {
        using var scope = NewDisposeScope();
        using var net = new RsrNet(2);
        var hr = rand(1, 1, 16, 16);
        Tensor lr;
        using (no_grad()) lr = net.Reduce(hr);
        var levels = lr * 255;
        Assert.True(allclose(levels, levels.round(), 0, 1e-4));
        Assert.True(lr.min().item<float>() >= 0 && lr.max().item<float>() <= 1);
    }

    [Fact]
    public void RsrNet_gradients_reach_every_parameter_through_q_brelu()
    {
        // HR → RRNet → SRNet → HR: RRNet learns only through the straight-through gradient of Q-BReLU.
        using var net = new RsrNet(3);
        using var hr = rand(1, 1, 12, 12) * 0.8 + 0.1;
        NetworksTestKit.AssertEveryParameterGetsGradient(net, hr, net.ReduceAndSuperResolve);
    }

    [Fact]
    public void SrNet_gradients_reach_every_parameter()
    {
        using var net = new SrNet(2);
        using var lr = rand(1, 1, 6, 6);
        NetworksTestKit.AssertEveryParameterGetsGradient(net, lr);
    }

    [Fact]
    public void Q_brelu_takes_only_q_levels_and_passes_gradient_only_inside_the_bounds()
    {
        using var scope = NewDisposeScope();
        using var q = new QuantizedBoundedReLU(levels: 4, tMin: 0, tMax: 1);
        float[] values = [-0.5f, -0.01f, 0.1f, 0.2f, 0.3f, 0.49f, 0.51f, 0.8f, 0.99f, 1.01f, 2f];
        var x = tensor(values, [values.Length]).requires_grad_();
        var y = q.call(x);
        // Eq. 2 with Q = 4 on [0,1]: levels 0, 1/3, 2/3, 1; ⌊3·y + ½⌋/3.
        float[] expected = [0, 0, 0, 1 / 3f, 1 / 3f, 1 / 3f, 2 / 3f, 2 / 3f, 1, 1, 1];
        var got = y.detach().data<float>();
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], got[i], 1e-6f);
        y.sum().backward();
        var grad = x.grad!.data<float>();
        // Eq. 3: 1 for t_min < x < t_max, 0 otherwise.
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i] is > 0 and < 1 ? 1f : 0f, grad[i]);
    }

    [Fact]
    public void Q_brelu_output_has_at_most_q_distinct_values()
    {
        using var scope = NewDisposeScope();
        using var q = new QuantizedBoundedReLU(levels: 8, tMin: -1, tMax: 2);
        var y = q.call(randn(4000) * 2);
        var distinct = y.data<float>().Select(v => MathF.Round(v, 4)).Distinct().Count();
        Assert.Equal(8, distinct);
    }
}
