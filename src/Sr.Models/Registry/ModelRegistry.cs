using System.Text.Json.Nodes;
using Sr.Models.Networks;

namespace Sr.Models.Registry;

/// <summary>
/// The registry of networks by short name (BasicSR-style): <c>btsrn</c>, <c>rsrnet</c>, <c>rsrnet-sr</c>, <c>glrl</c>,
/// <c>lsp</c>, <c>lsp-hsp</c>, <c>srcnn</c>, <c>vdsr</c>, and whatever a third party adds with <see cref="Register"/>.
/// Thread-safe; names are case-insensitive.
/// </summary>
public static class ModelRegistry
{
    private static readonly Lock Gate = new();
    private static readonly List<ModelInfo> Models = [];

    static ModelRegistry()
    {
        foreach (var info in BuiltIn()) Register(info);
        // SPSR (paper 001) and its RRDBNet backbone; their GAN training runs through Spsr/SpsrGanTrainer.
        foreach (var info in Spsr.SpsrModels.All) Register(info);
        // TODO(imaging): `bicubic` is not a network; the imaging helper's BicubicResolver (an ISuperResolver) is the
        // method behind that name. Register it where resolvers are looked up by name, not here.
    }

    /// <summary>Every registered model, in registration order.</summary>
    public static IReadOnlyList<ModelInfo> All
    {
        get { lock (Gate) return Models.ToArray(); }
    }

    /// <summary>Adds a model. Throws when the name is taken.</summary>
    public static void Register(ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrWhiteSpace(info.Name);
        if (info.Scales.Count == 0) throw new ArgumentException($"Model '{info.Name}' lists no scales.", nameof(info));
        lock (Gate)
        {
            if (Models.Any(m => string.Equals(m.Name, info.Name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"A model named '{info.Name}' is already registered.", nameof(info));
            Models.Add(info);
        }
    }

    public static bool TryGet(string name, out ModelInfo info)
    {
        lock (Gate) info = Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return info is not null;
    }

    /// <summary>The model of that name; an <see cref="ArgumentException"/> listing the known names otherwise.</summary>
    public static ModelInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var info)) return info;
        throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));
    }

    /// <summary>
    /// Builds a network, checking the scale against the model's list and the options against <see cref="ModelLimits"/>
    /// (ranges and the parameter budget) before anything is allocated.
    /// </summary>
    public static SrNetwork Create(string name, int scale, JsonObject? options = null)
    {
        var info = Get(name);
        if (!info.Scales.Contains(scale))
            throw new ArgumentException($"Model '{info.Name}' supports scales {string.Join(", ", info.Scales)}, not {scale}.", nameof(scale));
        ModelLimits.Check(info.Name, scale, options);
        var network = info.Create(scale, options);
        network.RegistryName = info.Name;
        network.RegistryOptions = options;
        return network;
    }

    /// <summary>`lsp` is LspHsp with α = 0 unless the options set α explicitly.</summary>
    private static LspHspOptions LspOnly(JsonObject? json)
    {
        var options = ModelOptions.Bind<LspHspOptions>("lsp", json);
        bool alphaGiven = json is not null && json.Any(p => string.Equals(p.Key, nameof(LspHspOptions.BoundaryWeight), StringComparison.OrdinalIgnoreCase));
        return alphaGiven ? options : options with { BoundaryWeight = 0 };
    }

    private static IEnumerable<ModelInfo> BuiltIn() =>
        [BtsrnEntry(), .. RsrNetEntries(), GlrlEntry(), .. LspHspEntries(), SrcnnEntry(), VdsrEntry()];

    private static readonly int[] Scales = [2, 3, 4];

    /// <summary>A patch edge near the paper's that the scale divides (our networks take LR, so HR patches must be multiples of s).</summary>
    private static int Multiple(int size, int scale) => Math.Max(scale, (int)Math.Round(size / (double)scale) * scale);

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
            ColorSpace.Rgb, Scales, (s, o) => new Btsrn(s, ModelOptions.Bind<BtsrnOptions>("btsrn", o)), recipe)
        {
            Description = "6 LR + 4 HR PConv residual blocks, nearest + deconvolution up-sampling, residual on bicubic (RGB)",
            OptionsType = typeof(BtsrnOptions),
        };
    }

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
            ColorSpace.Y, Scales, (s, o) => new RsrNet(s, ModelOptions.Bind<RsrNetOptions>("rsrnet", o)), Rsr(2, "srnet.reconstruct."))
        {
            Description = "RRNet (learned down-scaler, Q-BReLU) + SRNet trained in synchrony HR → LR → HR; forward takes LR",
            OptionsType = typeof(RsrNetOptions),
            RecipeByScale = s => Rsr(s, "srnet.reconstruct."),
        };
        yield return new ModelInfo("rsrnet-sr", "Cai et al., Learning Reduced-Resolution and Super-Resolution Networks in Synchrony (SRNet alone)",
            ColorSpace.Y, Scales, (s, o) => new SrNet(s, ModelOptions.Bind<RsrNetOptions>("rsrnet-sr", o)), Rsr(2, "reconstruct."))
        {
            Description = "SRNet alone (dense units, sub-pixel residual) trained on bicubic LR",
            OptionsType = typeof(RsrNetOptions),
            RecipeByScale = s => Rsr(s, "reconstruct."),
        };
    }

    private static TrainingRecipe GlrlRecipe(int scale) => new()
    {
        // §3.3's loss is 1/(2N) Σ‖x̃ − D(x)‖² summed over a patch (Caffe's EuclideanLoss, LossKind.EuclideanSum), under which this
        // Caffe solver was tuned; the per-pixel mean kept here makes gradients 512× smaller at 32² patches while weight decay is
        // not. Kept because the summed loss under our norm clipping diverged for VDSR (see the VDSR recipe); not yet tried here.
        Loss = LossKind.MSE, Optimizer = OptimizerKind.SGD, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 1e-4, BatchSize = 32,
        HrPatchSize = Multiple(31, scale), GradClipNorm = 0.01, ClipScaledByLr = false,
        LrGamma = 0.5, LrMilestones = Enumerable.Range(1, 7).Select(k => k * 65_360).ToArray(), Steps = 76 * 6_536,
        Notes = "Paper §4.1: SGD lr 0.1, momentum 0.9, weight decay 1e-4, batch 32, halved every 10 epochs, 76 epochs " +
                "(an epoch = 6,536 iterations), 291 images, Y. From DRRN's solver (which GLRL copies, notes §5.3): 31×31 patches " +
                "(here the nearest multiple of the scale), global gradient-norm clipping at 0.01 (Caffe clip_gradients) — " +
                "without it lr 0.1 diverges.",
    };

    private static ModelInfo GlrlEntry() =>
        new ModelInfo("glrl", "Image Super-Resolution Based on Global and Local Residual Learning (GLRL)",
            ColorSpace.Y, Scales, (s, o) => new Glrl(s, ModelOptions.Bind<GlrlOptions>("glrl", o)), GlrlRecipe(2))
        {
            Description = "PReLU extraction, 3 local residual blocks (deep + shallow branch), shared reconstruction, learned average",
            OptionsType = typeof(GlrlOptions),
            RecipeByScale = GlrlRecipe,
        };

    private static TrainingRecipe Lsp(int scale, double alpha) => new()
    {
        Loss = LossKind.MSE, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, BatchSize = 32, HrPatchSize = Multiple(32, scale),
        Steps = 100_000,
        Notes = "Paper §3.1: MSE on [image, α·boundary], batch 32, 32×32 HR sub-images (stride 12) of BSD300 with boundary maps, " +
                $"Y, α = {alpha} here. The paper's fixed lr 1e-12 belongs to a Caffe sum-of-squares loss on 0–255 values and is not " +
                "copied: Adam 1e-3 on a mean loss is our choice (1e-4 until 2026-12-01: Set5 ×2 after 3,000 steps 32.19 dB at 1e-3, 30.58 after ~3,360 at 1e-4), as are the steps. Boundary targets: annotation files when present, " +
                "else BoundaryMaps.FromEdges(HR).",
    };

    private static IEnumerable<ModelInfo> LspHspEntries()
    {
        yield return new ModelInfo("lsp", "Shi et al., Local- and Holistic-Structure Preserving Image Super Resolution (ICME 2016), LSP alone",
            ColorSpace.Y, Scales, (s, o) => new LspHsp(s, LspOnly(o)),
            Lsp(2, 0))
        {
            Description = "Conv features, gradient-guided pixel placement, Shepard-normalised deconvolution (α = 0: image loss only)",
            OptionsType = typeof(LspHspOptions),
            RecipeByScale = s => Lsp(s, 0),
        };
        yield return new ModelInfo("lsp-hsp", "Shi et al., Local- and Holistic-Structure Preserving Image Super Resolution (ICME 2016), LSP + HSP",
            ColorSpace.Y, Scales, (s, o) => new LspHsp(s, ModelOptions.Bind<LspHspOptions>("lsp-hsp", o)), Lsp(2, 0.1))
        {
            Description = "LSP + the HSP convolution with an image and a boundary-map output (α = 0.1)",
            OptionsType = typeof(LspHspOptions),
            RecipeByScale = s => Lsp(s, 0.1),
        };
    }

    private static TrainingRecipe SrcnnRecipe(int scale) => new()
    {
        Loss = LossKind.MSE, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, BatchSize = 128, HrPatchSize = Multiple(33, scale),
        LrGamma = 0.1, LrMilestones = [50_000, 100_000], Steps = 150_000,
        LearningRateMultipliers = new Dictionary<string, double> { ["conv3."] = 0.1 },
        Notes = "Dong et al.: MSE, 33×33 sub-images (stride 14) of T91, Y; their SGD (lr 1e-4, last layer 1e-5) is replaced by the " +
                "Adam re-implementation of RSRNet §2 (lr 1e-3 → 1e-5, × 0.1 every 50 epochs), which converges far faster; the " +
                "milestone steps are our estimate of 50 epochs. The last layer keeps its 10× smaller rate (conv3 at lr × 0.1). " +
                "Weights start from He/MSRA, not the paper's N(0, 0.001²), which is slow under Adam (SrcnnOptions.InitStd).",
    };

    private static ModelInfo SrcnnEntry() =>
        new ModelInfo("srcnn", "Dong et al., Image Super-Resolution Using Deep Convolutional Networks (SRCNN 9-1-5)",
            ColorSpace.Y, Scales, (s, o) => new Srcnn(s, ModelOptions.Bind<SrcnnOptions>("srcnn", o)), SrcnnRecipe(2))
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
        HrPatchSize = Multiple(41, scale), GradClipNorm = 0.4, ClipScaledByLr = true,
        LrGamma = 0.1, LrMilestones = [20 * 3_000, 40 * 3_000, 60 * 3_000], Steps = 80 * 3_000,
        Notes = "Kim et al.: MSE, SGD lr 0.1 (× 0.1 every 20 epochs, 80 epochs), momentum 0.9, weight decay 1e-4, batch 64, " +
                "41×41 patches (here the nearest multiple of the scale), adjustable gradient clipping θ/lr with θ = 0.4 (VDSR clips " +
                "each element; the engine clips the norm), 291 images, Y. An epoch ≈ 3,000 steps is our estimate.",
    };

    private static ModelInfo VdsrEntry() =>
        new ModelInfo("vdsr", "Kim et al., Accurate Image Super-Resolution Using Very Deep Convolutional Networks (VDSR)",
            ColorSpace.Y, Scales, (s, o) => new Vdsr(s, ModelOptions.Bind<VdsrOptions>("vdsr", o)), VdsrRecipe(2))
        {
            Description = "Baseline: 20 layers of 3×3×64 with a global residual on the bicubic-upscaled input",
            OptionsType = typeof(VdsrOptions),
            RecipeByScale = VdsrRecipe,
        };
}
