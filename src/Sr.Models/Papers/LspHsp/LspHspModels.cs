using System.Text.Json.Nodes;
using Sr.Models.Networks;

namespace Sr.Models.Registry;

/// <summary>LSP/HSP (Shi et al., ICME 2016): <c>lsp</c> (α = 0) and <c>lsp-hsp</c>, with their recipe.</summary>
internal static class LspHspModels
{
    /// <summary>The registry entries of this paper (name, paper, colour space, scales, factory, training recipe).</summary>
    public static IEnumerable<ModelInfo> All => LspHspEntries();

    /// <summary>`lsp` is LspHsp with α = 0 unless the options set α explicitly.</summary>
    private static LspHspOptions LspOnly(JsonObject? json)
    {
        var options = ModelOptions.Bind<LspHspOptions>("lsp", json);
        bool alphaGiven = json is not null && json.Any(p => string.Equals(p.Key, nameof(LspHspOptions.BoundaryWeight), StringComparison.OrdinalIgnoreCase));
        return alphaGiven ? options : options with { BoundaryWeight = 0 };
    }


    private static TrainingRecipe Lsp(int scale, double alpha) => new()
    {
        Loss = LossKind.MSE, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, BatchSize = 32, HrPatchSize = ModelRegistry.Multiple(32, scale),
        Steps = 100_000,
        Notes = "Paper §3.1: MSE on [image, α·boundary], batch 32, 32×32 HR sub-images (stride 12) of BSD300 with boundary maps, " +
                $"Y, α = {alpha} here. The paper's fixed lr 1e-12 belongs to a Caffe sum-of-squares loss on 0–255 values and is not " +
                "copied: Adam 1e-3 on a mean loss is our choice (1e-4 until 2026-12-01: Set5 ×2 after 3,000 steps 32.19 dB at 1e-3, 30.58 after ~3,360 at 1e-4), as are the steps. Boundary targets: annotation files when present, " +
                "else BoundaryMaps.FromEdges(HR).",
    };

    private static IEnumerable<ModelInfo> LspHspEntries()
    {
        yield return new ModelInfo("lsp", "Shi et al., Local- and Holistic-Structure Preserving Image Super Resolution (ICME 2016), LSP alone",
            ColorSpace.Y, ModelRegistry.Scales, (s, o) => new LspHsp(s, LspOnly(o)),
            Lsp(2, 0))
        {
            Description = "Conv features, gradient-guided pixel placement, Shepard-normalised deconvolution (α = 0: image loss only)",
            OptionsType = typeof(LspHspOptions),
            RecipeByScale = s => Lsp(s, 0),
        };
        yield return new ModelInfo("lsp-hsp", "Shi et al., Local- and Holistic-Structure Preserving Image Super Resolution (ICME 2016), LSP + HSP",
            ColorSpace.Y, ModelRegistry.Scales, (s, o) => new LspHsp(s, ModelOptions.Bind<LspHspOptions>("lsp-hsp", o)), Lsp(2, 0.1))
        {
            Description = "LSP + the HSP convolution with an image and a boundary-map output (α = 0.1)",
            OptionsType = typeof(LspHspOptions),
            RecipeByScale = s => Lsp(s, 0.1),
        };
    }
}
