using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

/// <summary>Shared checks of the network specifications: output shape, gradient flow.</summary>
internal static class NetworksTestKit
{
    public static void AssertOutputShape(SrNetwork net, int h, int w, int batch = 1)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var lr = rand(batch, net.Channels, h, w);
        Tensor sr;
        using (no_grad()) sr = net.call(lr);
        Assert.Equal(new long[] { batch, net.Channels, h * net.Scale, w * net.Scale }, sr.shape);
        Assert.True(sr.isfinite().all().item<bool>(), "output has non-finite values");
    }

    /// <summary>One backward of a loss on the output: every parameter must receive a non-zero gradient.</summary>
    public static void AssertEveryParameterGetsGradient(nn.Module<Tensor, Tensor> net, Tensor input, Func<Tensor, Tensor>? forward = null)
    {
        using var scope = NewDisposeScope();
        var output = (forward ?? net.call)(input);
        using var target = rand_like(output);
        var loss = nn.functional.mse_loss(output, target);
        loss.backward();
        var missing = new List<string>();
        foreach (var (name, p) in net.named_parameters())
        {
            using var g = p.grad;
            if (g is null || g.abs().sum().item<double>() == 0) missing.Add(name);
        }
        net.zero_grad();
        Assert.True(missing.Count == 0, "parameters without gradient: " + string.Join(", ", missing));
    }
}
