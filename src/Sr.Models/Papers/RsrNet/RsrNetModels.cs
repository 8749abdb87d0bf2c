using Sr.Models.Networks;

namespace Sr.Models.Registry;

/// <summary>RSRNet (Cai et al.): <c>rsrnet</c> (RRNet + SRNet in synchrony) and <c>rsrnet-sr</c> (SRNet alone), with their recipe.</summary>
internal static class RsrNetModels
{
    /// <summary>The registry entries of this paper (name, paper, colour space, scales, factory, training recipe).</summary>
    public static IEnumerable<ModelInfo> All => RsrNetEntries();

    private static TrainingRecipe Rsr(int scale, string srnetLast) => new()
    {
        Loss = LossKind.L1, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, BatchSize = 256,
        HrPatchSize = scale switch { 2 => 60, 3 => 69, _ => 72 },
        LrGamma = 0.5, LrMilestones = Enumerable.Range(1, 7).Select(k => k * 5_700).ToArray(), Steps = 8 * 5_700,
        LearningRateMultipliers = new Dictionary<string, double> { [srnetLast] = 0.1 },
        Notes = "Paper §4.1: L1, Adam, lr halved every 50 epochs from 1e-3 to 1e-5 (7 halvings), batch 256, non-overlapping " +
                "HR sub-images of 60/69/72 px (×2/×3/×4), rotations 90/180/270, 291 images (T91 + BSD200), Y. 50 epochs ≈ 5,700 " +
                "steps (our estimate: ≈ 29k patches per epoch with rotations). \"The final layer learns 10 times slower\": SRNet's " +
                "1×1 reconstruction at lr × 0.1.",
    };

    private static IEnumerable<ModelInfo> RsrNetEntries()
    {
        yield return new ModelInfo("rsrnet", "Cai et al., Learning Reduced-Resolution and Super-Resolution Networks in Synchrony (RSRNet)",
            ColorSpace.Y, ModelRegistry.Scales, (s, o) => new RsrNet(s, ModelOptions.Bind<RsrNetOptions>("rsrnet", o)), Rsr(2, "srnet.reconstruct."))
        {
            Description = "RRNet (learned down-scaler, Q-BReLU) + SRNet trained in synchrony HR → LR → HR; forward takes LR",
            OptionsType = typeof(RsrNetOptions),
            RecipeByScale = s => Rsr(s, "srnet.reconstruct."),
        };
        yield return new ModelInfo("rsrnet-sr", "Cai et al., Learning Reduced-Resolution and Super-Resolution Networks in Synchrony (SRNet alone)",
            ColorSpace.Y, ModelRegistry.Scales, (s, o) => new SrNet(s, ModelOptions.Bind<RsrNetOptions>("rsrnet-sr", o)), Rsr(2, "reconstruct."))
        {
            Description = "SRNet alone (dense units, sub-pixel residual) trained on bicubic LR",
            OptionsType = typeof(RsrNetOptions),
            RecipeByScale = s => Rsr(s, "reconstruct."),
        };
    }
}
