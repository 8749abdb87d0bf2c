using SkiaSharp;

namespace Sr.Plots;

/// <summary>
/// The fonts of every figure: DejaVu Sans (Debian's fonts-dejavu-core, installed with the native prerequisites), read from its
/// file so that drawing does not depend on fontconfig (ScottPlot 5.1.59 ships the fontconfig-free SkiaSharp natives).
/// </summary>
public static class PlotFonts
{
    /// <summary>The family name the figures ask ScottPlot for.</summary>
    public const string Family = "DejaVu Sans";

    private static readonly string[] Folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts"];
    private static readonly Lazy<(SKTypeface Regular, SKTypeface Bold)> Faces = new(Load);

    /// <summary>DejaVu Sans, regular.</summary>
    public static SKTypeface Regular => Faces.Value.Regular;

    /// <summary>DejaVu Sans, bold.</summary>
    public static SKTypeface Bold => Faces.Value.Bold;

    /// <summary>Registers the font files with ScottPlot (idempotent) and returns the family name to use.</summary>
    public static string ForScottPlot()
    {
        _ = Faces.Value;
        return Family;
    }

    private static (SKTypeface, SKTypeface) Load()
    {
        string regular = Find("DejaVuSans.ttf");
        string bold = Find("DejaVuSans-Bold.ttf");
        ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        ScottPlot.Fonts.AddFontFile(Family, bold, bold: true, italic: false);
        return (Open(regular), Open(bold));
    }

    private static string Find(string file)
    {
        foreach (var folder in Folders)
        {
            if (!Directory.Exists(folder)) continue;
            var hit = Directory.EnumerateFiles(folder, file, SearchOption.AllDirectories).FirstOrDefault();
            if (hit is not null) return hit;
        }
        throw new FileNotFoundException(
            $"The figures need the font file {file} (DejaVu Sans), found in none of {string.Join(", ", Folders)}. " +
            "On Debian install it as root: apt-get install -y fonts-dejavu-core", file);
    }

    private static SKTypeface Open(string path) =>
        SKTypeface.FromFile(path) ?? throw new InvalidDataException($"{path}: SkiaSharp cannot read this font file.");
}
