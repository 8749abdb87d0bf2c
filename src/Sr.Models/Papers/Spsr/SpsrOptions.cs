// SPSR (Ma et al., CVPR 2020 §4.1 / TPAMI 2021 §5.1) training options with the official code's values
// (Maclory/SPSR code/options/train/train_spsr.json and SPSR_model.py); every weight and switch is data.
using Sr.Models.Registry;

namespace Sr.Models.Spsr;

/// <summary>
/// The generator's size, the loss weights and criteria, the fusion-only warm-up and the optimiser/schedule of SPSR.
/// Defaults are the paper configuration as coded upstream; a weight of 0 switches its term (and its network) off.
/// </summary>
public sealed record SpsrOptions
{
    public SpsrVariant Variant { get; init; } = SpsrVariant.G;
    public int Scale { get; init; } = 4;

    // ---- generator size (paper: nf 64, nb 23, gc 32) ----
    public int Features { get; init; } = 64;
    public int Blocks { get; init; } = 23;
    public int Growth { get; init; } = 32;

    /// <summary>Width of the discriminators (VGG-128 base 64).</summary>
    public int DiscriminatorFeatures { get; init; } = 64;

    // ---- loss weights (json) ----
    /// <summary>β_I^SR: L1(SR, HR). json pixel_weight 1e-2.</summary>
    public double PixelWeight { get; init; } = 1e-2;
    public LossKind PixelCriterion { get; init; } = LossKind.L1;

    /// <summary>α: perceptual loss on VGG19 conv5_4 (before ReLU). json feature_weight 1, criterion l1.</summary>
    public double FeatureWeight { get; init; } = 1;
    public LossKind FeatureCriterion { get; init; } = LossKind.L1;

    /// <summary>γ_I^SR: image RaGAN. json gan_weight 5e-3 (SPSR-G only).</summary>
    public double GanWeight { get; init; } = 5e-3;

    /// <summary>β_GM^SR: gradient-map pixel loss; upstream hard-codes MSE. json gradient_pixel_weight 1e-2 (SPSR-G only).</summary>
    public double GradientPixelWeight { get; init; } = 1e-2;
    public LossKind GradientPixelCriterion { get; init; } = LossKind.MSE;

    /// <summary>γ_GM^SR: gradient-map RaGAN. json gradient_gan_weight 5e-3 (SPSR-G only).</summary>
    public double GradientGanWeight { get; init; } = 5e-3;

    /// <summary>β_GB^SR: gradient-branch output vs the HR gradient map. json pixel_branch_weight 0.5, l1.</summary>
    public double PixelBranchWeight { get; init; } = 0.5;
    public LossKind PixelBranchCriterion { get; init; } = LossKind.L1;

    /// <summary>
    /// SPSR-P/-J: pixel-wise structure loss ‖E(SR) − E(HR)‖ (TPAMI Eq. 14). The weight and norm are stripped from our copy
    /// of the paper: we take L1 and 1e-2, the weight of the gradient pixel loss it replaces.
    /// </summary>
    public double StructurePixelWeight { get; init; } = 1e-2;
    public LossKind StructurePixelCriterion { get; init; } = LossKind.L1;

    /// <summary>SPSR-P/-J: adversarial structure loss (Eq. 15); stripped in our copy: 5e-3, the weight of the gradient GAN loss it replaces.</summary>
    public double StructureGanWeight { get; init; } = 5e-3;

    // ---- schedule (json) ----
    /// <summary>Branch_pretrain: train only the fusion block ("f_" parameters) for the first <see cref="BranchInitIterations"/> steps.</summary>
    public bool BranchPretrain { get; init; } = true;
    public int BranchInitIterations { get; init; } = 5000;

    public double LearningRateG { get; init; } = 1e-4;
    public double LearningRateD { get; init; } = 1e-4;
    public double Beta1G { get; init; } = 0.9;
    public double Beta1D { get; init; } = 0.9;
    /// <summary>β₂ is torch's default in upstream's Adam (the paper does not say).</summary>
    public double Beta2 { get; init; } = 0.999;
    public double WeightDecayG { get; init; }
    public double WeightDecayD { get; init; }
    public IReadOnlyList<int> LrMilestones { get; init; } = [50_000, 100_000, 200_000, 300_000];
    public double LrGamma { get; init; } = 0.5;

    /// <summary>Upstream's D_update_ratio / D_init_iters (G updates every ratio-th step after the init steps); 1 and 0 for SPSR.</summary>
    public int DUpdateRatio { get; init; } = 1;
    public int DInitIterations { get; init; }

    // ---- data (paper/json) ----
    public int HrPatchSize { get; init; } = 128;
    /// <summary>The paper's "15 patches" per mini-batch (the json's 30 is split over two GPUs).</summary>
    public int BatchSize { get; init; } = 15;
    public int Iterations { get; init; } = 500_000;

    // ---- files ----
    /// <summary>torchvision vgg19 state dict for the perceptual loss (default: <see cref="Losses.Vgg19FeatureExtractor.DefaultWeightsPath"/>).</summary>
    public string? Vgg19WeightsPath { get; init; }

    /// <summary>Trained NSE (nse-p / nse-j) weights for SPSR-P/-J.</summary>
    public string? StructureExtractorPath { get; init; }

    public void Validate()
    {
        if (Scale is < 2 or > 4) throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "SPSR up-samples by 2, 3 or 4.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Blocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Growth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DUpdateRatio);
        foreach (var (name, w) in new[] { (nameof(PixelWeight), PixelWeight), (nameof(FeatureWeight), FeatureWeight), (nameof(GanWeight), GanWeight),
                     (nameof(GradientPixelWeight), GradientPixelWeight), (nameof(GradientGanWeight), GradientGanWeight), (nameof(PixelBranchWeight), PixelBranchWeight),
                     (nameof(StructurePixelWeight), StructurePixelWeight), (nameof(StructureGanWeight), StructureGanWeight) })
            if (w < 0 || double.IsNaN(w)) throw new ArgumentOutOfRangeException(name, w, "Loss weights must be ≥ 0.");
    }

    /// <summary>The recipe as the shared training engine reads it (Adam 1e-4, MultiStepLR ×0.5, HR 128, batch 15).</summary>
    public TrainingRecipe ToRecipe() => new()
    {
        Loss = PixelCriterion,
        Optimizer = OptimizerKind.Adam,
        LearningRate = LearningRateG,
        Beta1 = Beta1G,
        Beta2 = Beta2,
        WeightDecay = WeightDecayG,
        LrMilestones = LrMilestones,
        LrGamma = LrGamma,
        BatchSize = BatchSize,
        HrPatchSize = HrPatchSize,
        Augment = true,
        Steps = Iterations,
        Notes = "SPSR (Maclory/SPSR train_spsr.json): GAN training with VGG19 perceptual loss; needs torchvision vgg19 weights.",
    };
}
