// The pixel-wise criteria every SR paper here uses (L1 / MSE, mean over all elements; Caffe's EuclideanLoss), chosen by a LossKind option.
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Losses;

public static class PixelLosses
{
    public static Tensor Distance(Tensor input, Tensor target, LossKind criterion) => criterion switch
    {
        LossKind.L1 => F.l1_loss(input, target),
        LossKind.MSE => F.mse_loss(input, target),
        // ½ Σ over a sample's elements, mean over the batch = mean × (elements per sample) / 2.
        LossKind.EuclideanSum => F.mse_loss(input, target).Consume(m => m * (input.numel() / input.shape[0] / 2.0)),
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
    };
}
