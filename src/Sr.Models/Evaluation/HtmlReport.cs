using System.Globalization;
using System.Net;
using System.Text;
using Sr.Models.Imaging;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Evaluation;

/// <summary>
/// An evaluation as one self-contained web page (`sr eval --report DIR` writes DIR/index.html): a provenance block (SrMlNet
/// version, date, command, model SHA-256, protocol), the summary, the per-image table and, for the first
/// <see cref="MaxImages"/> images, comparison crops (bicubic, the method, the ground truth) embedded as PNG data URIs. No
/// script, no external style sheet, font or image: the one file can be mailed, archived or opened from the disk anywhere.
/// Feed it through <see cref="SrEvaluator.ImageObserver"/> (<c>ImageObserver = report.Add</c>), then call
/// <see cref="Write(EvalReport, ReportProvenance?)"/> with the finished <see cref="EvalReport"/>.
/// </summary>
/// <remarks>
/// The page is written temp + rename: a run that fails half-way leaves no half-written page. The crop is the square where the
/// method's output and bicubic differ most — where the method does its work — found as <see cref="MethodComparison"/> finds
/// its zoom. Crops are enlarged by a whole factor with nearest neighbour in the PNG itself and shown at their own size, so no
/// browser resamples (blurs) them: every pixel on the screen is a pixel of the result.
/// </remarks>
public sealed class HtmlReport
{
    public const string IndexFileName = "index.html";

    /// <summary>Crops are kept for this many images by default (so a set of ≤ 20 images shows all of them).</summary>
    public const int DefaultMaxImages = 20;

    /// <summary>Crops are enlarged (by a whole factor) to at least this many pixels a side.</summary>
    public const int MinShownSize = 160;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly List<Crops> _crops = [];

    public HtmlReport(string directory, int maxImages = DefaultMaxImages)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxImages);
        Directory = directory;
        MaxImages = maxImages;
    }

    /// <summary>The folder that receives index.html.</summary>
    public string Directory { get; }

    /// <summary>How many images (the first ones evaluated) get comparison crops; 0 = none.</summary>
    public int MaxImages { get; }

    /// <summary>The crops kept so far, in evaluation order.</summary>
    public IReadOnlyList<Crops> CropsWritten => _crops;

    /// <summary>
    /// One image's comparison crops as <c>data:image/png;base64,…</c> URIs, the HR window (left, top, size) and the whole
    /// factor <paramref name="Zoom"/> by which the PNGs are enlarged (nearest neighbour).
    /// </summary>
    public sealed record Crops(string Name, string Bicubic, string Output, string GroundTruth, int Left, int Top, int Size, int Zoom = 1);

    /// <summary>The whole factor that makes a crop of <paramref name="size"/> pixels at least <see cref="MinShownSize"/> wide.</summary>
    public static int ZoomFor(int size) => Math.Max(1, (MinShownSize + size - 1) / Math.Max(1, size));

    /// <summary>Keeps the crops of <paramref name="image"/> while fewer than <see cref="MaxImages"/> images have them.</summary>
    public void Add(EvaluatedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_crops.Count >= MaxImages) return;
        using var scope = torch.NewDisposeScope();
        var (top, left, size) = MethodComparison.MostDifferentRegion([image.Bicubic, image.Output], image.GroundTruth);
        int zoom = ZoomFor(size);
        string Encode(Tensor picture)
        {
            var region = picture.narrow(2, top, size).narrow(3, left, size);
            // Nearest neighbour by a whole factor: each pixel becomes a zoom×zoom block, exactly.
            var enlarged = torch.nn.functional.interpolate(region, size: [size * zoom, size * zoom], mode: torch.nn.InterpolationMode.Nearest);
            return DataUri(ImageFile.Encode(ImageTensor.ToHwcUint8(enlarged)));
        }
        _crops.Add(new Crops(image.Name, Encode(image.Bicubic), Encode(image.Output), Encode(image.GroundTruth), left, top, size, zoom));
    }

    /// <summary>A PNG's bytes as a data URI.</summary>
    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    /// <summary>Writes index.html for <paramref name="report"/> (temp + rename) with the crops kept so far.</summary>
    public void Write(EvalReport report, ReportProvenance? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllBytes(Path.Combine(Directory, IndexFileName), Encoding.UTF8.GetBytes(Render(report, _crops, provenance)));
    }

    /// <summary>The page: summary, per-image table, comparison crops (linked by their relative paths). Every text from a file or name is HTML-escaped.</summary>
    public static string Render(EvalReport report, IReadOnlyList<Crops> crops, ReportProvenance? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(crops);
        string title = $"{report.Method} on {report.Dataset} ×{report.Scale}";
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html>");
        sb.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine(Inv, $"<title>SrMlNet evaluation: {H(title)}</title>");
        sb.AppendLine("<style>");
        sb.AppendLine("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}");
        sb.AppendLine("th,td{border:1px solid #ccc;padding:.25em .6em}td.n{text-align:right;font-variant-numeric:tabular-nums}");
        sb.AppendLine("tr.mean td{font-weight:bold}figure{display:inline-block;margin:.4em;text-align:center}");
        sb.AppendLine("figure img{image-rendering:pixelated;border:1px solid #999}figcaption{font-size:.85em}");
        sb.AppendLine("table.provenance td{font-family:monospace;font-size:.9em;word-break:break-all}");
        sb.AppendLine(".cmp{margin:1.2em 0}.cmp h3{margin:.2em 0;font-size:1em}");
        sb.AppendLine("</style></head><body>");
        sb.AppendLine(Inv, $"<h1>{H(title)}</h1>");
        void Row(string key, string value) => sb.AppendLine(Inv, $"<tr><th>{H(key)}</th><td>{H(value)}</td></tr>");
        var p = provenance ?? ReportProvenance.Now(null, null);
        sb.AppendLine("<h2>Provenance</h2>");
        sb.AppendLine("<table class=\"provenance\">");
        Row("SrMlNet", p.Version);
        Row("Date (UTC)", p.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv));
        Row("Command", p.Command ?? "(not recorded)");
        Row("Model", p.Model ?? report.Method);
        Row("Model SHA-256", p.ModelSha256 ?? "(none: a built-in method)");
        Row("Protocol", $"{report.Protocol.Name} ({report.Protocol.Describe()})");
        if (report.LrFolder is { } lrFolder) Row("LR images", lrFolder);
        sb.AppendLine("</table>");
        sb.AppendLine("<h2>Summary</h2>");
        sb.AppendLine("<table class=\"summary\">");
        Row("Method", report.Method);
        Row("Data", report.Dataset);
        Row("Scale", $"×{report.Scale}");
        Row("Degradation", report.Degradation);
        Row("Protocol", $"{report.Protocol.Name} ({report.Protocol.Describe()})");
        Row("Images measured", $"{report.MeasuredCount} of {report.Images.Count}");
        Row("Mean PSNR (dB)", EvalReport.Format(report.MeanPsnr, 2));
        Row("Mean SSIM", EvalReport.Format(report.MeanSsim, 4));
        if (report.HasLpips)
        {
            Row("Mean LPIPS", EvalReport.Format(report.MeanLpips, 4));
            Row("LPIPS", $"AlexNet-lin v0.1 on RGB, whole image (no shave); weights {report.LpipsWeights}");
        }
        Row("Method time (s)", report.TotalSeconds.ToString("F2", Inv));
        sb.AppendLine("</table>");

        sb.AppendLine("<h2>Per image</h2>");
        string lpipsHead = report.HasLpips ? "<th>LPIPS</th>" : "";
        string LpipsCell(double v) => report.HasLpips ? $"<td class=\"n\">{EvalReport.Format(v, 4)}</td>" : "";
        sb.AppendLine(Inv, $"<table class=\"images\"><tr><th>image</th><th>width</th><th>height</th><th>PSNR (dB)</th><th>SSIM</th>{lpipsHead}<th>seconds</th><th>note</th></tr>");
        foreach (var i in report.Images)
        {
            string note = i.Outcome == EvalOutcome.Evaluated ? "" : $"{i.Outcome.ToString().ToLowerInvariant()}: {i.Note}";
            sb.AppendLine(Inv, $"<tr><td>{H(i.Name)}</td><td class=\"n\">{i.Width}</td><td class=\"n\">{i.Height}</td><td class=\"n\">{EvalReport.Format(i.Psnr, 2)}</td><td class=\"n\">{EvalReport.Format(i.Ssim, 4)}</td>{LpipsCell(i.Lpips)}<td class=\"n\">{i.Seconds.ToString("F3", Inv)}</td><td>{H(note)}</td></tr>");
        }
        sb.AppendLine(Inv, $"<tr class=\"mean\"><td>mean ({report.MeasuredCount} of {report.Images.Count})</td><td></td><td></td><td class=\"n\">{EvalReport.Format(report.MeanPsnr, 2)}</td><td class=\"n\">{EvalReport.Format(report.MeanSsim, 4)}</td>{LpipsCell(report.MeanLpips)}<td class=\"n\">{report.TotalSeconds.ToString("F3", Inv)}</td><td></td></tr>");
        sb.AppendLine("</table>");

        if (crops.Count > 0) AppendCrops(sb, report, crops);
        sb.AppendLine(Inv, $"<p><small>Written by SrMlNet {H(p.Version)} <code>sr eval --report</code>.</small></p>");
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    /// <summary>The comparison crops section: per image, bicubic, the method and the ground truth at a whole-factor zoom.</summary>
    private static void AppendCrops(StringBuilder sb, EvalReport report, IReadOnlyList<Crops> crops)
    {
        sb.AppendLine("<h2>Comparison crops</h2>");
        string which = crops.Count == report.MeasuredCount ? "each image" : $"the first {crops.Count} images";
        sb.AppendLine(Inv, $"<p>For {which}: the square where the method and bicubic differ most, enlarged by a whole factor (nearest neighbour). A Y-channel method is shown in colour with bicubic Cb/Cr.</p>");
        var rows = report.Images.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var c in crops)
        {
            string score = rows.TryGetValue(c.Name, out var r) ? $" — {EvalReport.Format(r.Psnr, 2)} dB / {EvalReport.Format(r.Ssim, 4)}" + (report.HasLpips ? $" / LPIPS {EvalReport.Format(r.Lpips, 4)}" : "") : "";
            sb.AppendLine("<div class=\"cmp\">");
            sb.AppendLine(Inv, $"<h3>{H(c.Name)}{H(score)} <small>(crop {c.Size}×{c.Size} px at x={c.Left}, y={c.Top}, shown ×{c.Zoom})</small></h3>");
            int shown = c.Size * c.Zoom;
            foreach (var (uri, caption) in new[] { (c.Bicubic, $"bicubic (LR ×{report.Scale})"), (c.Output, report.Method), (c.GroundTruth, "ground truth") })
            {
                string alt = H(c.Name + ": " + caption);
                sb.AppendLine(Inv, $"<figure><img src=\"{Source(uri)}\" width=\"{shown}\" height=\"{shown}\" alt=\"{alt}\"><figcaption>{H(caption)}</figcaption></figure>");
            }
            sb.AppendLine("</div>");
        }
    }

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>Only our own data URIs go into src: anything else would make the page depend on another file.</summary>
    private static string Source(string uri) => uri.StartsWith("data:image/png;base64,", StringComparison.Ordinal)
        ? uri : throw new ArgumentException($"a crop must be a PNG data URI, not '{(uri.Length > 40 ? uri[..40] + "…" : uri)}'", "crops");

    /// <summary>A file name stem that is safe on every file system and in a URL: letters, digits, '-', '_' and '.'; the rest become '_'.</summary>
    internal static string SafeFileStem(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var chars = stem.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray();
        var s = new string(chars);
        return s.Length == 0 ? "image" : s.Length > 60 ? s[..60] : s;
    }
}
