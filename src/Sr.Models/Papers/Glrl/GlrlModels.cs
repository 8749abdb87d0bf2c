using Sr.Models.Networks;

namespace Sr.Models.Registry;

/// <summary>GLRL (global and local residual learning): its registry entry and training recipe.</summary>
internal static class GlrlModels
{
    /// <summary>The registry entries of this paper (name, paper, colour space, scales, factory, training recipe).</summary>
    public static IEnumerable<ModelInfo> All => [GlrlEntry()];

    private static TrainingRecipe GlrlRecipe(int scale) => new()
    {
        // §3.3's loss is 1/(2N) Σ‖x̃ − D(x)‖² summed over a patch (Caffe's EuclideanLoss, LossKind.EuclideanSum), under which this
        // Caffe solver was tuned; the per-pixel mean kept here makes gradients 512× smaller at 32² patches while weight decay is
        // not. Kept because the summed loss under our norm clipping diverged for VDSR (see the VDSR recipe); not yet tried here.
        Loss = LossKind.MSE, Optimizer = OptimizerKind.SGD, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 1e-4, BatchSize = 32,
        HrPatchSize = ModelRegistry.Multiple(31, scale), GradClipNorm = 0.01, ClipScaledByLr = false,
        LrGamma = 0.5, LrMilestones = Enumerable.Range(1, 7).Select(k => k * 65_360).ToArray(), Steps = 76 * 6_536,
        Notes = "Paper §4.1: SGD lr 0.1, momentum 0.9, weight decay 1e-4, batch 32, halved every 10 epochs, 76 epochs " +
                "(an epoch = 6,536 iterations), 291 images, Y. From DRRN's solver (which GLRL copies, notes §5.3): 31×31 patches " +
                "(here the nearest multiple of the scale), global gradient-norm clipping at 0.01 (Caffe clip_gradients) — " +
                "without it lr 0.1 diverges.",
    };

    private static ModelInfo GlrlEntry() =>
        new ModelInfo("glrl", "Image Super-Resolution Based on Global and Local Residual Learning (GLRL)",
            ColorSpace.Y, ModelRegistry.Scales, (s, o) => new Glrl(s, ModelOptions.Bind<GlrlOptions>("glrl", o)), GlrlRecipe(2))
        {
            Description = "PReLU extraction, 3 local residual blocks (deep + shallow branch), shared reconstruction, learned average",
            OptionsType = typeof(GlrlOptions),
            RecipeByScale = GlrlRecipe,
        };
}
