using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class LearnedReductionTests
{
    [Fact]
    public void The_degradation_is_the_networks_reducer_applied_channel_by_channel()
    {
        manual_seed(2);
        using var net = new RsrNet(2, new RsrNetOptions { Features = 8, DenseUnits = 1 });
        net.eval();
        var degradation = new LearnedReduction(net);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rgb = rand(1, 3, 16, 12);
        var lr = degradation.Apply(rgb, 2);
        Assert.Equal(new long[] { 1, 3, 8, 6 }, lr.shape);
        for (int c = 0; c < 3; c++)
            Assert.True(lr.narrow(1, c, 1).eq(net.Reduce(rgb.narrow(1, c, 1).contiguous())).all().item<bool>(), $"channel {c}");
        Assert.Throws<ArgumentException>(() => degradation.Apply(rgb, 4));
        using var srcnn = new Srcnn(2);
        Assert.Contains("learned down-scaler", Assert.Throws<ArgumentException>(() => new LearnedReduction(srcnn)).Message);
    }
}
