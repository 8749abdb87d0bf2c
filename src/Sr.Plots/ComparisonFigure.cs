using System.Globalization;
using SkiaSharp;
using Sr.Models.Evaluation;
using Sr.Torch.io;

namespace Sr.Plots;

/// <summary>
/// The `sr compare` picture: one column per panel (the input enlarged with nearest neighbour, each method, the ground truth),
/// each with its full image (shrunk to at most <see cref="MaxPanel"/> pixels with mip-mapped filtering, the compared region
/// outlined), its name and scores in DejaVu Sans, and the region enlarged by a whole factor with nearest neighbour.
/// </summary>
public static class ComparisonFigure
{
    public const int MaxPanel = 480;
    private const int Gap = 12, TitleSize = 17, ScoreSize = 14;
    private static readonly SKColor Ink = new(20, 20, 20), Muted = new(90, 90, 90), Highlight = new(220, 30, 30);

    /// <summary>Where each part of the picture sits (for tests and for callers that annotate further).</summary>
    public sealed record Layout(int Width, int Height, int CellWidth, int PanelWidth, int PanelHeight, int TextTop, int CropTop, int Zoom);

    /// <summary>Draws the picture and writes it as PNG atomically; returns its layout.</summary>
    public static Layout WritePng(string path, MethodComparisonResult comparison)
    {
        var (png, layout) = Render(comparison);
        AtomicFile.WriteAllBytes(path, png);
        return layout;
    }

    /// <summary>The PNG bytes of the picture and its layout.</summary>
    public static (byte[] Png, Layout Layout) Render(MethodComparisonResult comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var panels = new List<(string Title, string Score, ComparisonImage Image)>
        {
            ($"input ×{comparison.Scale} (nearest)", "bicubic-degraded, 8-bit", comparison.Input),
        };
        panels.AddRange(comparison.Entries.Select((e, i) => (e.Name, ScoreText(e), comparison.Outputs[i])));
        panels.Add(("ground truth", $"PSNR / SSIM on Y, shave {comparison.Scale}", comparison.GroundTruth));

        var gt = comparison.GroundTruth;
        var (top, left, crop) = comparison.Region;
        double shrink = Math.Min(1.0, (double)MaxPanel / Math.Max(gt.Width, gt.Height));
        int pw = (int)Math.Round(gt.Width * shrink), ph = (int)Math.Round(gt.Height * shrink);
        int zoom = Math.Max(1, pw / crop);
        using var titleFont = new SKFont(PlotFonts.Bold, TitleSize);
        using var scoreFont = new SKFont(PlotFonts.Regular, ScoreSize);
        int textWidth = (int)Math.Ceiling(panels.Max(p => Math.Max(titleFont.MeasureText(p.Title), scoreFont.MeasureText(p.Score))));
        int cellW = Math.Max(Math.Max(pw, crop * zoom), textWidth);
        int textTop = Gap + ph + 8, cropTop = textTop + TitleSize + ScoreSize + 18;
        var layout = new Layout(panels.Count * (cellW + Gap) + Gap, cropTop + crop * zoom + Gap, cellW, pw, ph, textTop, cropTop, zoom);

        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var muted = new SKPaint { Color = Muted, IsAntialias = true };
        using var outline = new SKPaint { Color = Highlight, Style = SKPaintStyle.Stroke, StrokeWidth = 2 };
        var shrinkSampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        var nearest = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);
        for (int i = 0; i < panels.Count; i++)
        {
            int x0 = Gap + i * (cellW + Gap);
            var (title, score, picture) = panels[i];
            using var image = ToSkImage(picture);
            canvas.DrawImage(image, new SKRect(x0, Gap, x0 + pw, Gap + ph), shrinkSampling);
            canvas.DrawRect(new SKRect((float)(x0 + left * shrink), (float)(Gap + top * shrink),
                (float)(x0 + (left + crop) * shrink), (float)(Gap + (top + crop) * shrink)), outline);
            canvas.DrawText(title, x0, textTop + TitleSize, SKTextAlign.Left, titleFont, ink);
            canvas.DrawText(score, x0, textTop + TitleSize + 6 + ScoreSize, SKTextAlign.Left, scoreFont, muted);
            // The region, each pixel a zoom×zoom block (a whole factor, nearest neighbour: no smoothing invented).
            canvas.DrawImage(image, SKRect.Create(left, top, crop, crop), SKRect.Create(x0, cropTop, crop * zoom, crop * zoom), nearest);
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return (data.ToArray(), layout);
    }

    /// <summary>"PSNR 33.66 dB · SSIM 0.9299" (∞ for identical images).</summary>
    public static string ScoreText(ComparisonEntry e) => string.Create(CultureInfo.InvariantCulture,
        $"PSNR {(double.IsPositiveInfinity(e.Psnr) ? "∞" : e.Psnr.ToString("F2", CultureInfo.InvariantCulture))} dB · SSIM {e.Ssim:F4}");

    private static SKImage ToSkImage(ComparisonImage picture)
    {
        if (picture.Channels is not (1 or 3)) throw new ArgumentException($"Expected 1 or 3 channels, got {picture.Channels}.", nameof(picture));
        var rgba = new byte[picture.Width * picture.Height * 4];
        for (int p = 0, n = picture.Width * picture.Height; p < n; p++)
        {
            int s = p * picture.Channels;
            rgba[4 * p] = picture.Pixels[s];
            rgba[4 * p + 1] = picture.Pixels[picture.Channels == 3 ? s + 1 : s];
            rgba[4 * p + 2] = picture.Pixels[picture.Channels == 3 ? s + 2 : s];
            rgba[4 * p + 3] = 255;
        }
        var info = new SKImageInfo(picture.Width, picture.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var pixels = SKData.CreateCopy(rgba);
        return SKImage.FromPixels(info, pixels, info.RowBytes) ?? throw new InvalidOperationException("SkiaSharp could not wrap the pixels.");
    }
}
