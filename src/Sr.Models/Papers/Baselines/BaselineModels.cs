using Sr.Models.Networks;

namespace Sr.Models.Registry;

/// <summary>The baselines the papers compare against: SRCNN (Dong et al.) and VDSR (Kim et al.), with their recipes.</summary>
internal static class BaselineModels
{
    /// <summary>The registry entries of this paper (name, paper, colour space, scales, factory, training recipe).</summary>
    public static IEnumerable<ModelInfo> All => [SrcnnEntry(), VdsrEntry()];

    private static TrainingRecipe SrcnnRecipe(int scale) => new()
    {
        Loss = LossKind.MSE, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, BatchSize = 128, HrPatchSize = ModelRegistry.Multiple(33, scale),
        LrGamma = 0.1, LrMilestones = [50_000, 100_000], Steps = 150_000,
        LearningRateMultipliers = new Dictionary<string, double> { ["conv3."] = 0.1 },
        Notes = "Dong et al.: MSE, 33×33 sub-images (stride 14) of T91, Y; their SGD (lr 1e-4, last layer 1e-5) is replaced by the " +
                "Adam re-implementation of RSRNet §2 (lr 1e-3 → 1e-5, × 0.1 every 50 epochs), which converges far faster; the " +
                "milestone steps are our estimate of 50 epochs. The last layer keeps its 10× smaller rate (conv3 at lr × 0.1). " +
                "Weights start from He/MSRA, not the paper's N(0, 0.001²), which is slow under Adam (SrcnnOptions.InitStd).",
    };

    private static ModelInfo SrcnnEntry() =>
        new ModelInfo("srcnn", "Dong et al., Image Super-Resolution Using Deep Convolutional Networks (SRCNN 9-1-5)",
            ColorSpace.Y, ModelRegistry.Scales, (s, o) => new Srcnn(s, ModelOptions.Bind<SrcnnOptions>("srcnn", o)), SrcnnRecipe(2))
        {
            Description = "Baseline: 9-1-5 convolutions (64/32 maps) on the bicubic-upscaled input",
            OptionsType = typeof(SrcnnOptions),
            RecipeByScale = SrcnnRecipe,
        };

    private static TrainingRecipe VdsrRecipe(int scale) => new()
    {
        // VDSR's loss is ½‖y − f(x)‖² per patch (Caffe's EuclideanLoss, LossKind.EuclideanSum); the per-pixel mean kept here makes
        // gradients 800× smaller at 40² patches while weight decay is not. Measured 2026-12-02 (seed 1, 200 steps, T91 ×2): with the
        // summed loss under this engine's norm clipping (θ/lr = 4) the run diverged, Set5 12.07 dB; with the paper's per-element
        // clipping (±4) it diverged at step 2 (loss ∞).
        Loss = LossKind.MSE, Optimizer = OptimizerKind.SGD, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 1e-4, BatchSize = 64,
        HrPatchSize = ModelRegistry.Multiple(41, scale), GradClipNorm = 0.4, ClipScaledByLr = true,
        LrGamma = 0.1, LrMilestones = [20 * 3_000, 40 * 3_000, 60 * 3_000], Steps = 80 * 3_000,
        Notes = "Kim et al.: MSE, SGD lr 0.1 (× 0.1 every 20 epochs, 80 epochs), momentum 0.9, weight decay 1e-4, batch 64, " +
                "41×41 patches (here the nearest multiple of the scale), adjustable gradient clipping θ/lr with θ = 0.4 (VDSR clips " +
                "each element; the engine clips the norm), 291 images, Y. An epoch ≈ 3,000 steps is our estimate.",
    };

    private static ModelInfo VdsrEntry() =>
        new ModelInfo("vdsr", "Kim et al., Accurate Image Super-Resolution Using Very Deep Convolutional Networks (VDSR)",
            ColorSpace.Y, ModelRegistry.Scales, (s, o) => new Vdsr(s, ModelOptions.Bind<VdsrOptions>("vdsr", o)), VdsrRecipe(2))
        {
            Description = "Baseline: 20 layers of 3×3×64 with a global residual on the bicubic-upscaled input",
            OptionsType = typeof(VdsrOptions),
            RecipeByScale = VdsrRecipe,
        };
}
