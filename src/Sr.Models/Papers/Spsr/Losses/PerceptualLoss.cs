// Perceptual loss (Johnson et al. 2016) as SPSR codes it (Maclory/SPSR SPSR_model.py, json feature_criterion "l1"):
// distance of VGG19 conv5_4 (before ReLU) features of SR and HR, the HR side detached.
using Sr.Models.Registry;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Losses;

/// <summary>criterion(VGG(sr), VGG(hr).detach()); L1 in SPSR's code (the paper's text implies L2).</summary>
public sealed class PerceptualLoss(Vgg19FeatureExtractor extractor, LossKind criterion = LossKind.L1)
{
    public Vgg19FeatureExtractor Extractor { get; } = extractor ?? throw new ArgumentNullException(nameof(extractor));

    public LossKind Criterion { get; } = criterion;

    public Tensor Compute(Tensor sr, Tensor hr)
    {
        using var scope = NewDisposeScope();
        Tensor real;
        using (no_grad()) real = Extractor.call(hr);
        var fake = Extractor.call(sr);
        return PixelLosses.Distance(fake, real, Criterion).MoveToOuterDisposeScope();
    }
}
