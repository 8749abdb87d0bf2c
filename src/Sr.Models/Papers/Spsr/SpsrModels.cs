// SPSR (Ma et al., CVPR 2020 / TPAMI 2021) and its ESRGAN backbone: the registry entries rrdbnet, spsr-g, spsr-p, spsr-j.
using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Networks.Spsr;
using Sr.Models.Registry;

namespace Sr.Models.Spsr;

/// <summary>
/// <see cref="ModelInfo"/> records for the model registry. Options JSON: <c>{"nf": 64, "nb": 23, "gc": 32}</c>
/// (paper defaults); a small CPU model is e.g. <c>{"nf": 32, "nb": 4}</c>. The NSEs (nse-p, nse-j) are not SR networks
/// (image → structure features), so they are trained through <see cref="StructureLearning"/>, not this contract.
/// </summary>
public static class SpsrModels
{
    public const string SpsrPaper = "Ma et al., Structure-Preserving Image Super-Resolution (CVPR 2020 SPSR-G; TPAMI 2021 SPSR-P/-J)";
    public const string EsrganPaper = "Wang et al., ESRGAN: Enhanced Super-Resolution Generative Adversarial Networks (ECCVW 2018)";

    private static readonly int[] Scales = [2, 3, 4];

    private static (int nf, int nb, int gc) Size(JsonObject? o) =>
        (o?["nf"]?.GetValue<int>() ?? Networks.Spsr.RrdbNet.PaperFeatures, o?["nb"]?.GetValue<int>() ?? Networks.Spsr.RrdbNet.PaperBlocks, o?["gc"]?.GetValue<int>() ?? Networks.Spsr.RrdbNet.PaperGrowth);

    private static SrNetwork CreateRrdb(int scale, JsonObject? o)
    {
        var (nf, nb, gc) = Size(o);
        return new Networks.Spsr.RrdbNet(scale, nf, nb, gc);
    }

    private static SrNetwork CreateSpsr(int scale, JsonObject? o)
    {
        var (nf, nb, gc) = Size(o);
        return new SpsrNet(scale, nf, nb, gc);
    }

    public static ModelInfo RrdbNet => new("rrdbnet", EsrganPaper, ColorSpace.Rgb, Scales, CreateRrdb, new TrainingRecipe
    {
        Loss = LossKind.L1, LearningRate = 2e-4, LrMilestones = [200_000, 400_000, 600_000, 800_000], LrGamma = 0.5,
        BatchSize = 16, HrPatchSize = 128, Steps = 1_000_000,
        Notes = "ESRGAN's PSNR-oriented RRDB pre-training (L1, Adam 2e-4, ×0.5 every 200k); SPSR initialises its SR branch from it.",
    })
    { Description = "ESRGAN RRDBNet (23 RRDB, 64 features), PSNR-oriented; 16,697,987 parameters at ×4" };

    public static ModelInfo SpsrG => Spsr("spsr-g", SpsrVariant.G, "SPSR-G: gradient branch + gradient loss + RaGAN; 24,796,230 parameters at ×4");
    public static ModelInfo SpsrP => Spsr("spsr-p", SpsrVariant.P, "SPSR-P: SPSR generator trained with the structure loss of a contrastive-prediction NSE");
    public static ModelInfo SpsrJ => Spsr("spsr-j", SpsrVariant.J, "SPSR-J: SPSR generator trained with the structure loss of a jigsaw NSE");

    public static IReadOnlyList<ModelInfo> All => [RrdbNet, SpsrG, SpsrP, SpsrJ];

    /// <summary>Whether <paramref name="name"/> is one of the GAN-trained SPSR generators (spsr-g, spsr-p, spsr-j).</summary>
    public static bool IsGan(string name) => name.ToLowerInvariant() is "spsr-g" or "spsr-p" or "spsr-j";

    /// <summary>
    /// The GAN settings for training registry model <paramref name="name"/> at <paramref name="scale"/>: the variant from the
    /// name, the generator's size from its options JSON (nf/nb/gc), everything else from <paramref name="settings"/>.
    /// </summary>
    public static SpsrOptions TrainingOptions(string name, int scale, JsonObject? networkOptions, SpsrOptions? settings = null)
    {
        var variant = name.ToLowerInvariant() switch
        {
            "spsr-g" => SpsrVariant.G,
            "spsr-p" => SpsrVariant.P,
            "spsr-j" => SpsrVariant.J,
            _ => throw new ArgumentException($"'{name}' is not an SPSR GAN model (spsr-g, spsr-p, spsr-j).", nameof(name)),
        };
        var (nf, nb, gc) = Size(networkOptions);
        return (settings ?? new SpsrOptions()) with { Variant = variant, Scale = scale, Features = nf, Blocks = nb, Growth = gc };
    }

    private static ModelInfo Spsr(string name, SpsrVariant variant, string description) =>
        new(name, SpsrPaper, ColorSpace.Rgb, Scales, CreateSpsr, (new SpsrOptions { Variant = variant }).ToRecipe())
        {
            Description = description, Training = TrainingMethod.SpsrGan, InitializesFrom = "rrdbnet",
        };
}
