using Sr.Models.Networks;

namespace Sr.Models.Registry;

/// <summary>BTSRN (Fan et al., NTIRE 2017): its registry entry and training recipe.</summary>
internal static class BtsrnModels
{
    /// <summary>The registry entries of this paper (name, paper, colour space, scales, factory, training recipe).</summary>
    public static IEnumerable<ModelInfo> All => [BtsrnEntry()];

    private static ModelInfo BtsrnEntry()
    {
        var recipe = new TrainingRecipe
        {
            Loss = LossKind.MSE, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, BatchSize = 32, HrPatchSize = 108,
            LrGamma = 0.618, LrMilestones = Enumerable.Range(1, 15).Select(e => e * 20_000).ToArray(), Steps = 320_000,
            Notes = "Paper §4.1 + official run.sh: MSE on the residual over bicubic (equal to MSE on the output), Adam 1e-3, batch 32, " +
                    "108×108 HR patches, random flips/rot90, 16 passes with the lr × 0.618 after each (paper: × 0.6). " +
                    "One pass of DIV2K is ≈ 20,000 steps at batch 32 (our estimate); trained on DIV2K, RGB.",
        };
        return new ModelInfo("btsrn", "Fan et al., Balanced Two-Stage Residual Networks for Image Super-Resolution (CVPR-W NTIRE 2017)",
            ColorSpace.Rgb, ModelRegistry.Scales, (s, o) => new Btsrn(s, ModelOptions.Bind<BtsrnOptions>("btsrn", o)), recipe)
        {
            Description = "6 LR + 4 HR PConv residual blocks, nearest + deconvolution up-sampling, residual on bicubic (RGB)",
            OptionsType = typeof(BtsrnOptions),
        };
    }
}
