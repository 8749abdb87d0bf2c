using Sr.Models.Metrics;

namespace Sr.Models.Evaluation;

/// <summary>
/// How a PSNR/SSIM number was measured. It travels with every reported number (reports, CSV/JSON columns), because the
/// protocols differ by 0.1–2 dB on the same images.
/// </summary>
/// <param name="Name">Short name: y-shave, rgb-shave, ntire-rgb, spsr.</param>
/// <param name="ColorSpace">The channels compared: Y (MATLAB rgb2ycbcr) or RGB.</param>
/// <param name="ShaveConstant">Pixels shaved from every side, plus <paramref name="ShavePerScale"/>·scale.</param>
/// <param name="ShavePerScale">Multiple of the scale added to the shave.</param>
/// <param name="Ssim">Which SSIM.</param>
/// <param name="RoundOutput">Round and clip the method's output to uint8 levels before measuring (the papers save PNGs).</param>
/// <param name="RoundY">Round Y to an integer level, as MATLAB's rgb2ycbcr on uint8 does (for the HR and for RGB outputs).</param>
public sealed record EvalProtocol(string Name, ColorSpace ColorSpace, int ShaveConstant, int ShavePerScale, SsimVariant Ssim,
    bool RoundOutput = true, bool RoundY = true)
{
    /// <summary>The papers' tables (SRCNN … RSRNet, GLRL, VDSR): Y, shave = scale, standard SSIM. The default.</summary>
    public static EvalProtocol YShave { get; } = new("y-shave", ColorSpace.Y, 0, 1, SsimVariant.Standard);

    /// <summary>RGB, shave = scale, standard SSIM (mean over channels).</summary>
    public static EvalProtocol RgbShave { get; } = new("rgb-shave", ColorSpace.Rgb, 0, 1, SsimVariant.Standard);

    /// <summary>BTSRN's NTIRE 2017 validation (validate.py): RGB, shave 6 + scale.</summary>
    public static EvalProtocol NtireRgb { get; } = new("ntire-rgb", ColorSpace.Rgb, 6, 1, SsimVariant.Standard);

    /// <summary>
    /// SPSR's evaluate_results.m: Y (uint8), shave 4 pixels whatever the scale (its tables are ×4, where this is the scale),
    /// SSIM with automatic downsampling.
    /// </summary>
    public static EvalProtocol Spsr { get; } = new("spsr", ColorSpace.Y, 4, 0, SsimVariant.AutoDownsample);

    /// <summary>
    /// BTSRN's Table 4 (§4.4): "PSNR on luminance channel and ignoring two boundary pixels" — Y, shave 2 at every scale. (Its
    /// bicubic column equals VDSR's table, measured with shave = scale; the paper's words are what this protocol follows.)
    /// </summary>
    public static EvalProtocol Btsrn { get; } = new("btsrn", ColorSpace.Y, 2, 0, SsimVariant.Standard);

    public static IReadOnlyList<EvalProtocol> All { get; } = [YShave, RgbShave, NtireRgb, Spsr, Btsrn];

    public static EvalProtocol Default => YShave;

    /// <summary>Pixels removed from each side at <paramref name="scale"/>.</summary>
    public int ShaveFor(int scale) => ShaveConstant + ShavePerScale * scale;

    /// <summary>The shave rule in words: "scale", "6+scale", "4".</summary>
    public string ShaveRule => (ShaveConstant, ShavePerScale) switch
    {
        (0, 1) => "scale",
        (0, var k) => $"{k}·scale",
        (var c, 0) => $"{c}",
        (var c, 1) => $"{c}+scale",
        var (c, k) => $"{c}+{k}·scale",
    };

    public string Describe() =>
        $"{Name}: {(ColorSpace == ColorSpace.Y ? "Y (BT.601, MATLAB rgb2ycbcr" + (RoundY ? ", rounded" : "") + ")" : "RGB")}, " +
        $"shave {ShaveRule} px, SSIM {(Ssim == SsimVariant.Standard ? "Wang 2004 (11×11 Gaussian σ=1.5, valid)" : "with automatic downsampling (ssim.m)")}" +
        (RoundOutput ? ", output rounded to uint8" : ", output not rounded");

    public static EvalProtocol Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown protocol '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
    }

    public override string ToString() => Name;
}
