// SPSR (Ma et al., CVPR 2020, Eq. 5–7): the gradient-space pixel loss and the gradient-branch loss, as coded upstream
// (Maclory/SPSR SPSR_model.py: MSE on pad-2 gradient maps, L1 on the branch output vs the pad-1 HR gradient map).
using Sr.Models.Networks.Spsr;
using Sr.Models.Registry;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Losses;

public static class GradientLosses
{
    /// <summary>criterion(M(sr), M(hr)) on <see cref="ImageGradient.LossPadding"/> maps; upstream hard-codes MSE (the paper says L1-like "pixelwise").</summary>
    public static Tensor GradientPixel(Tensor sr, Tensor hr, LossKind criterion = LossKind.MSE)
    {
        using var scope = NewDisposeScope();
        var fake = ImageGradient.Magnitude(sr, ImageGradient.LossPadding);
        Tensor real;
        using (no_grad()) real = ImageGradient.Magnitude(hr, ImageGradient.LossPadding);
        return PixelLosses.Distance(fake, real, criterion).MoveToOuterDisposeScope();
    }

    /// <summary>criterion(branch output, M(hr)) with the size-keeping operator; upstream: L1, weight 0.5.</summary>
    public static Tensor Branch(Tensor branchOutput, Tensor hr, LossKind criterion = LossKind.L1)
    {
        using var scope = NewDisposeScope();
        Tensor target;
        using (no_grad()) target = ImageGradient.Magnitude(hr, ImageGradient.BranchPadding);
        return PixelLosses.Distance(branchOutput, target, criterion).MoveToOuterDisposeScope();
    }
}
