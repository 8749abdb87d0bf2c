// The pixel-wise criteria every SR paper here uses (L1 / MSE, mean over all elements), chosen by a LossKind option.
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
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
    };
}
