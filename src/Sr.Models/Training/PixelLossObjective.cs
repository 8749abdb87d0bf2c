using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Training;

/// <summary>
/// L1 or MSE between network(LR) and HR. When the output is smaller than the target (valid-convolution networks, as
/// BTSRN's official code), the target is centre-cropped to the output, as that code does (crop_center).
/// </summary>
public sealed class PixelLossObjective(LossKind kind) : ITrainingObjective
{
    public LossKind Kind { get; } = kind;

    public Tensor Loss(SrNetwork network, Tensor lr, Tensor hr)
    {
        ArgumentNullException.ThrowIfNull(network);
        var sr = network.forward(lr);
        var target = CenterCrop(hr, sr.shape[2], sr.shape[3]);
        return Losses.PixelLosses.Distance(sr, target, Kind);
    }

    /// <summary>The centre h×w window of an N×C×H×W tensor (the tensor itself when the sizes match).</summary>
    public static Tensor CenterCrop(Tensor x, long h, long w)
    {
        long H = x.shape[2], W = x.shape[3];
        if (h == H && w == W) return x;
        if (h > H || w > W) throw new ArgumentException($"Network output {h}×{w} is larger than the target {H}×{W}.");
        return x.narrow(2, (H - h) / 2, h).narrow(3, (W - w) / 2, w);
    }
}
