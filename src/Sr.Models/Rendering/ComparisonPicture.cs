using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Upscaling;
using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Rendering;

/// <summary>One method's result in a comparison: its output and its scores under the comparison's protocol.</summary>
public sealed record ComparisonEntry(string Name, double Psnr, double Ssim);

/// <summary>
/// `sr compare`: the degraded input, each method's output and the ground truth side by side, a zoomed crop of the
/// region where the methods differ most, and PSNR/SSIM (Y, shave = scale) under each panel.
/// </summary>
public static class ComparisonPicture
{
    private const int Band = 40, Gap = 6, MaxPanel = 480;
    private static readonly (byte, byte, byte) Background = (255, 255, 255), Ink = (0, 0, 0), Highlight = (220, 30, 30);

    /// <summary>Builds the picture for <paramref name="hr"/> (1×C×H×W in [0,1], C = 1 or 3) and returns it with the scores.</summary>
    public static (Canvas Picture, IReadOnlyList<ComparisonEntry> Entries) Build(Tensor hr, int scale, IReadOnlyList<ISuperResolver> methods)
    {
        ArgumentNullException.ThrowIfNull(hr);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Count == 0) throw new ArgumentException("Give at least one method to compare.", nameof(methods));
        using var scope = torch.NewDisposeScope();
        var gt = ImageTensor.QuantizeToUint8Levels(ImageTensor.ModCrop(hr, scale));
        // The input a user would have: MATLAB bicubic down-scaling, stored as an 8-bit image.
        var lr = ImageTensor.QuantizeToUint8Levels(MatlabResize.Downscale(gt, scale));
        var evaluator = new SrEvaluator(EvalProtocol.YShave);
        var outputs = new List<Tensor>();
        var entries = new List<ComparisonEntry>();
        foreach (var m in methods)
        {
            var sr = ImageTensor.QuantizeToUint8Levels(ImageUpscaler.Upscale(lr, m, scale));
            var (psnr, ssim) = evaluator.Score(gt.mul(255), sr.mul(255), scale);
            outputs.Add(sr);
            entries.Add(new ComparisonEntry(m.Name, psnr, ssim));
        }
        var input = F.interpolate(lr, size: [gt.shape[2], gt.shape[3]], mode: torch.nn.InterpolationMode.Nearest);
        var panels = new List<(string title, string score, Tensor image)> { ($"INPUT x{scale} (NEAREST)", "", input) };
        panels.AddRange(entries.Select((e, i) => (e.Name, $"{Fmt(e.Psnr)} / {e.Ssim:F4}", outputs[i])));
        panels.Add(("GROUND TRUTH", "PSNR / SSIM (Y)", gt));

        var (cy, cx, crop) = MostDifferentRegion(outputs, gt);
        long h = gt.shape[2], w = gt.shape[3];
        double shrink = Math.Min(1.0, (double)MaxPanel / Math.Max(h, w));
        int pw = (int)Math.Round(w * shrink), ph = (int)Math.Round(h * shrink);
        int zoom = Math.Max(1, pw / crop);
        int zs = crop * zoom;
        int cellW = Math.Max(pw, Math.Max(zs, 6 * 26 * 2 / 2));
        var canvas = new Canvas(panels.Count * (cellW + Gap) + Gap, Gap + ph + Band + zs + Gap, Background);
        for (int i = 0; i < panels.Count; i++)
        {
            int x0 = Gap + i * (cellW + Gap);
            var (title, score, img) = panels[i];
            var full = shrink < 1 ? F.interpolate(img, size: [ph, pw], mode: torch.nn.InterpolationMode.Area) : img;
            canvas.Blit(ImageTensor.ToHwcUint8(full), x0, Gap);
            canvas.DrawRect(x0 + (int)(cx * shrink), Gap + (int)(cy * shrink), Math.Max(2, (int)(crop * shrink)), Math.Max(2, (int)(crop * shrink)), Highlight, 2);
            canvas.DrawText(x0, Gap + ph + 6, Fit(title, cellW), Ink, 2);
            canvas.DrawText(x0, Gap + ph + 24, Fit(score, cellW), Ink, 2);
            var region = img.narrow(2, cy, crop).narrow(3, cx, crop);
            var zoomed = F.interpolate(region, size: [zs, zs], mode: torch.nn.InterpolationMode.Nearest);
            canvas.Blit(ImageTensor.ToHwcUint8(zoomed), x0, Gap + ph + Band);
        }
        return (canvas, entries);
    }

    /// <summary>The square HR window (top, left, size) where the methods' outputs disagree most (largest mean spread).</summary>
    internal static (int top, int left, int size) MostDifferentRegion(IReadOnlyList<Tensor> outputs, Tensor gt)
    {
        long h = gt.shape[2], w = gt.shape[3];
        int size = (int)Math.Clamp(Math.Min(h, w) / 4, 8, 96);
        using var scope = torch.NewDisposeScope();
        // With one method, "differ" means from the ground truth.
        var all = outputs.Count > 1 ? torch.stack(outputs.ToList(), 0) : torch.stack([outputs[0], gt], 0);
        var spread = all.std([0]).mean(1, keepdim: true);
        int stride = Math.Max(1, size / 4);
        var pooled = F.avg_pool2d(spread, size, stride);
        long pw = pooled.shape[3];
        long best = pooled.reshape(-1).argmax(0).item<long>();
        int top = (int)(best / pw) * stride, left = (int)(best % pw) * stride;
        return (top, left, size);
    }

    private static string Fmt(double psnr) => double.IsPositiveInfinity(psnr) ? "INF" : psnr.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

    private static string Fit(string text, int width)
    {
        int max = Math.Max(1, (width + 2) / 12);
        return text.Length <= max ? text : text[..max];
    }
}
