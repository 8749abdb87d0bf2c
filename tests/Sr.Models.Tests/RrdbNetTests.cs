using Sr.Models.Networks.Spsr;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class RrdbNetTests
{
    // By hand, from ESRGAN's layer table (3×3 convs with bias; nf = 64, gc = 32):
    //   RDB(64): (64·32 + 96·32 + 128·32 + 160·32)·9 + 4·32  +  192·64·9 + 64
    //          = 18,464 + 27,680 + 36,896 + 46,112 + 110,656 = 239,808;  RRDB = 3 RDB = 719,424;  23 RRDB = 16,546,752
    //   fea_conv 3→64: 1,792; LR_conv 64→64: 36,928; two up-convs: 73,856; HR_conv0: 36,928; HR_conv1 64→3: 1,731
    //   total = 16,546,752 + 1,792 + 36,928 + 73,856 + 36,928 + 1,731 = 16,697,987
    [Fact]
    public void Rrdbnet_x4_paper_configuration_has_23_blocks_and_16697987_parameters()
    {
        using var net = new RrdbNet(4);
        Assert.Equal(23, net.Blocks);
        Assert.Equal(16_697_987, net.ParameterCount());
    }

    [Fact]
    public void Rrdbnet_keys_follow_the_esrgan_layout_that_spsr_initialises_from()
    {
        using var net = new RrdbNet(4, nf: 8, nb: 2, gc: 4);
        var keys = net.state_dict().Keys.ToHashSet();
        foreach (var k in new[] { "model.0.weight", "model.1.sub.0.RDB1.conv1.0.weight", "model.1.sub.1.RDB3.conv5.0.bias", "model.1.sub.2.weight",
                     "model.3.weight", "model.6.weight", "model.8.weight", "model.10.weight" })
            Assert.Contains(k, keys);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Rrdbnet_small_upscales_rgb_by_its_scale(int scale)
    {
        using var scope = NewDisposeScope();
        using var net = new RrdbNet(scale, nf: 8, nb: 1, gc: 4);
        using var _ = no_grad();
        var y = net.call(rand(2, 3, 10, 7));
        Assert.Equal(new long[] { 2, 3, 10 * scale, 7 * scale }, y.shape);
    }

    [Fact]
    public void Rrdb_block_of_64_features_has_719424_parameters()
    {
        using var block = new Rrdb(64, 32);
        Assert.Equal(3 * 239_808, block.ParameterCount());
    }
}
