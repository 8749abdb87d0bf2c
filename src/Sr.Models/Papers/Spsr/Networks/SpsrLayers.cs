// SPSR (Ma et al., CVPR 2020 / TPAMI 2021) and ESRGAN (Wang et al., ECCVW 2018): the small layer factories of the
// official code (Maclory/SPSR code/models/modules/block.py), so state-dict keys match its checkpoints.
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// Upstream's <c>conv_block</c> is an <c>nn.Sequential(conv[, act])</c>, which is why its keys read <c>conv1.0.weight</c>.
/// We keep that nesting so ESRGAN's <c>RRDB_PSNR_x4.pth</c> and SPSR's released generator load by name.
/// </summary>
internal static class SpsrLayers
{
    public const double LeakySlope = 0.2;

    /// <summary>Conv (stride 1, zero padding (k−1)/2, bias) wrapped in a Sequential, optionally followed by LeakyReLU(0.2).</summary>
    public static nn.Sequential ConvBlock(long inChannels, long outChannels, long kernel = 3, bool leakyRelu = false)
    {
        var conv = new nn.Conv2d(inChannels, outChannels, kernel, padding: (kernel - 1) / 2);
        return leakyRelu ? new nn.Sequential(conv, nn.LeakyReLU(LeakySlope)) : new nn.Sequential(conv);
    }

    /// <summary>
    /// The up-sampling layers of ESRGAN/SPSR (<c>upconv_blcok</c>, flattened into the parent Sequential): nearest ×2 then
    /// conv + LReLU, twice for ×4; for ×2 once; for ×3 one nearest ×3 stage. Returns the flat layers (3 per stage).
    /// </summary>
    public static IEnumerable<nn.Module<Tensor, Tensor>> Upsampler(int scale, long nf)
    {
        int[] stages = scale switch
        {
            2 => [2],
            3 => [3],
            4 => [2, 2],
            _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "SPSR/ESRGAN up-sample by 2, 3 or 4."),
        };
        foreach (int s in stages)
        {
            yield return nn.Upsample(s, nn.InterpolationMode.Nearest);
            yield return new nn.Conv2d(nf, nf, 3, padding: 1);
            yield return nn.LeakyReLU(LeakySlope);
        }
    }

    /// <summary>Flattens Sequentials one level, as upstream's <c>B.sequential</c> does (it decides the module indices).</summary>
    public static nn.Sequential Flat(params nn.Module<Tensor, Tensor>[] parts)
    {
        var seq = new nn.Sequential(Array.Empty<nn.Module<Tensor, Tensor>>());
        foreach (var p in parts)
        {
            if (p is nn.Sequential s) for (int i = 0; i < s.Count; i++) seq.append(s[i]);
            else seq.append(p);
        }
        return seq;
    }

    /// <summary>
    /// Upstream's initialisation (<c>networks.weights_init_kaiming</c>): Kaiming-normal (fan-in, a = 0) scaled by
    /// <paramref name="scale"/> for conv and linear weights, zero biases, BatchNorm weight 1 / bias 0. G uses 0.1, D uses 1.
    /// </summary>
    public static void InitKaiming(nn.Module module, double scale)
    {
        using var noGrad = no_grad();
        foreach (var m in module.modules())
        {
            switch (m)
            {
                case nn.Conv2d c:
                    nn.init.kaiming_normal_(c.weight, 0, nn.init.FanInOut.FanIn, nn.init.NonlinearityType.ReLU);
                    c.weight.mul_(scale);
                    if (c.bias is not null) c.bias.zero_();
                    break;
                case nn.Linear l:
                    nn.init.kaiming_normal_(l.weight, 0, nn.init.FanInOut.FanIn, nn.init.NonlinearityType.ReLU);
                    l.weight.mul_(scale);
                    if (l.bias is not null) l.bias.zero_();
                    break;
                case nn.BatchNorm2d b:
                    b.weight?.fill_(1);
                    b.bias?.zero_();
                    break;
                case BatchNorm b:
                    b.weight.fill_(1);
                    b.bias.zero_();
                    break;
            }
        }
    }
}
