using System.Globalization;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// Builds degradations from short names: "bicubic" (BI; also "bi"), "bilinear", "nearest", "box", "bd" (= "blur:1.6:7"),
/// "blur:σ[:k]" (k defaults to 7, BD's size: give k ≥ 2·⌈3σ⌉+1 for large σ), "dn" (= "noise:30"), "noise:σ" (σ in
/// 0..255 units), "jpeg:q" (q in 1..100). Every degradation's <see cref="IDegradation.Name"/> parses back to itself.
/// </summary>
public static class Degradations
{
    public static IReadOnlyList<string> Examples { get; } = ["bicubic", "bilinear", "nearest", "box", "bd", "blur:1.6", "blur:2.0:13", "dn", "noise:30", "jpeg:40"];

    public static IDegradation Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Trim().ToLowerInvariant().Split(':');
        try
        {
            switch (parts[0])
            {
                case "bicubic" or "bi" when parts.Length == 1: return ResizeDegradation.Bicubic;
                case "bilinear" when parts.Length == 1: return new ResizeDegradation(new ResizeOptions { Kernel = ResizeKernel.Triangle });
                case "nearest" when parts.Length == 1: return new ResizeDegradation(new ResizeOptions { Kernel = ResizeKernel.Nearest, Antialias = false });
                case "box" when parts.Length == 1: return new ResizeDegradation(new ResizeOptions { Kernel = ResizeKernel.Box });
                case "bd" when parts.Length == 1: return new BlurDownDegradation(1.6, 7);
                case "blur" when parts.Length is 2 or 3:
                    return new BlurDownDegradation(Number(parts[1]), parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 7);
                case "dn" when parts.Length == 1: return new NoiseDegradation(30);
                case "noise" when parts.Length == 2: return new NoiseDegradation(Number(parts[1]));
                case "jpeg" when parts.Length == 2: return new JpegDegradation(int.Parse(parts[1], CultureInfo.InvariantCulture));
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            throw new ArgumentException($"Degradation '{name}': {e.Message}", nameof(name), e);
        }
        throw new ArgumentException($"Unknown degradation '{name}'. Known forms: {string.Join(", ", Examples)}.", nameof(name));
    }

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    internal static void CheckInput(Tensor hr, int scale)
    {
        ArgumentNullException.ThrowIfNull(hr);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var s = hr.shape;
        if (s.Length != 4) throw new ArgumentException($"Expected an N×C×H×W tensor, got [{string.Join("×", s)}].", nameof(hr));
        if (s[2] % scale != 0 || s[3] % scale != 0)
            throw new ArgumentException($"The HR size {s[3]}×{s[2]} is not a multiple of the scale {scale}: mod-crop it first (ImageTensor.ModCrop).", nameof(hr));
    }
}
