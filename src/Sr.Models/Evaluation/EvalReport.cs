using System.Globalization;
using System.Text;
using System.Text.Json;
using Sr.Torch.io;

namespace Sr.Models.Evaluation;

/// <summary>
/// The per-image table and the mean of one evaluation, with the dataset, scale, protocol, method and degradation that
/// produced it. The mean is over measured images only (skipped ones are listed with their reason); it is +∞ when any
/// image is perfect. Writers use the invariant culture; files are written through a temporary file and a rename.
/// When the evaluation measured LPIPS (<see cref="LpipsWeights"/> set), every writer adds an LPIPS column and its mean;
/// otherwise the output is as before (no empty column).
/// </summary>
public sealed record EvalReport(string Dataset, int Scale, EvalProtocol Protocol, string Method, string Degradation,
    IReadOnlyList<EvalImageResult> Images)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The folder of pre-made LR files the evaluation used (<c>sr eval --lr</c>); null when LR was made by <see cref="Degradation"/>.</summary>
    public string? LrFolder { get; init; }

    /// <summary>
    /// The LPIPS weights the evaluation used (<c>sr eval --lpips PATH</c>: the path); null when LPIPS was not measured. See
    /// <see cref="SrEvaluator.Lpips"/> for what is compared.
    /// </summary>
    public string? LpipsWeights { get; init; }

    public bool HasLpips => LpipsWeights is not null;

    public IEnumerable<EvalImageResult> Measured => Images.Where(i => i.IsMeasured);
    public int MeasuredCount => Measured.Count();
    public double MeanPsnr => MeasuredCount == 0 ? double.NaN : Measured.Average(i => i.Psnr);
    public double MeanSsim => MeasuredCount == 0 ? double.NaN : Measured.Average(i => i.Ssim);

    /// <summary>Mean LPIPS over measured images; NaN without LPIPS (lower is better; 0 for identical images).</summary>
    public double MeanLpips => MeasuredCount == 0 || !HasLpips ? double.NaN : Measured.Average(i => i.Lpips);
    public double TotalSeconds => Images.Sum(i => i.Seconds);

    /// <summary>"inf" for +∞, "nan" for a missing value, else fixed decimals.</summary>
    public static string Format(double v, int decimals) =>
        double.IsPositiveInfinity(v) ? "inf" : double.IsNaN(v) ? "nan" : v.ToString("F" + decimals, Inv);

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendLine("dataset,scale,protocol,method,degradation,name,width,height,psnr,ssim," + (HasLpips ? "lpips," : "") + "seconds,outcome,note");
        string prefix = string.Join(",", Csv(Dataset), Scale.ToString(Inv), Csv(Protocol.Name), Csv(Method), Csv(Degradation));
        string Lpips(double v) => HasLpips ? Format(v, 6) + "," : "";
        foreach (var i in Images)
            sb.AppendLine(string.Join(",", prefix, Csv(i.Name), i.Width.ToString(Inv), i.Height.ToString(Inv), Format(i.Psnr, 4),
                Format(i.Ssim, 4), Lpips(i.Lpips) + i.Seconds.ToString("F4", Inv), i.Outcome.ToString().ToLowerInvariant(), Csv(i.Note ?? "")));
        sb.AppendLine(string.Join(",", prefix, "(mean)", "", "", Format(MeanPsnr, 4), Format(MeanSsim, 4), Lpips(MeanLpips) + TotalSeconds.ToString("F4", Inv),
            "mean", Csv($"{MeasuredCount} of {Images.Count} files measured")));
        return sb.ToString();
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"**{Dataset}** ×{Scale}, method `{Method}`, degradation `{Degradation}`, protocol `{Protocol.Name}` ({Protocol.Describe()})");
        if (HasLpips) sb.AppendLine(Inv, $"LPIPS: AlexNet-lin v0.1 on RGB, whole image (no shave), weights `{LpipsWeights}`");
        sb.AppendLine();
        sb.AppendLine("| image | width | height | PSNR (dB) | SSIM |" + (HasLpips ? " LPIPS |" : "") + " seconds | note |");
        sb.AppendLine("|---|---:|---:|---:|---:|" + (HasLpips ? "---:|" : "") + "---:|---|");
        foreach (var i in Images)
            sb.AppendLine(Inv, $"| {i.Name} | {i.Width} | {i.Height} | {Format(i.Psnr, 4)} | {Format(i.Ssim, 4)} |{(HasLpips ? $" {Format(i.Lpips, 4)} |" : "")} {i.Seconds.ToString("F3", Inv)} | {(i.Outcome == EvalOutcome.Evaluated ? "" : i.Outcome.ToString().ToLowerInvariant() + ": " + i.Note)} |");
        sb.AppendLine(Inv, $"| **mean** ({MeasuredCount} of {Images.Count}) | | | **{Format(MeanPsnr, 4)}** | **{Format(MeanSsim, 4)}** |{(HasLpips ? $" **{Format(MeanLpips, 4)}** |" : "")} {TotalSeconds.ToString("F3", Inv)} | |");
        return sb.ToString();
    }

    /// <summary>
    /// <c>{"dataset","scale","protocol","mean":{"psnr","ssim"},"images":[...]}</c> (camelCase keys, as every `sr --json` output) plus the protocol's definition, the method,
    /// the degradation and the skipped files; with LPIPS, <c>"lpipsWeights"</c> and an <c>"lpips"</c> number in <c>mean</c> and in each image. +∞ is written as the string "Infinity" and a missing value as null
    /// (System.Text.Json reads "Infinity" back with JsonNumberHandling.AllowNamedFloatingPointLiterals).
    /// </summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("dataset", Dataset);
            w.WriteNumber("scale", Scale);
            w.WriteString("protocol", Protocol.Name);
            w.WriteStartObject("protocolDefinition");
            w.WriteString("colorSpace", Protocol.ColorSpace == ColorSpace.Y ? "y" : "rgb");
            w.WriteString("shave", Protocol.ShaveRule);
            w.WriteNumber("shavePixels", Protocol.ShaveFor(Scale));
            w.WriteString("ssim", Protocol.Ssim == Metrics.SsimVariant.Standard ? "standard" : "auto-downsample");
            w.WriteBoolean("roundOutput", Protocol.RoundOutput);
            w.WriteBoolean("roundY", Protocol.RoundY);
            w.WriteEndObject();
            w.WriteString("method", Method);
            w.WriteString("degradation", Degradation);
            if (LrFolder is not null) w.WriteString("lrFolder", LrFolder);
            if (HasLpips) w.WriteString("lpipsWeights", LpipsWeights);
            w.WriteStartObject("mean");
            Number(w, "psnr", MeanPsnr);
            Number(w, "ssim", MeanSsim);
            if (HasLpips) Number(w, "lpips", MeanLpips);
            w.WriteNumber("count", MeasuredCount);
            w.WriteEndObject();
            w.WriteStartArray("images");
            foreach (var i in Measured)
            {
                w.WriteStartObject();
                w.WriteString("name", i.Name);
                w.WriteNumber("width", i.Width);
                w.WriteNumber("height", i.Height);
                Number(w, "psnr", i.Psnr);
                Number(w, "ssim", i.Ssim);
                if (HasLpips) Number(w, "lpips", i.Lpips);
                w.WriteNumber("seconds", Math.Round(i.Seconds, 6));
                if (i.Note != null) w.WriteString("note", i.Note);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("skipped");
            foreach (var i in Images.Where(i => !i.IsMeasured))
            {
                w.WriteStartObject();
                w.WriteString("name", i.Name);
                w.WriteString("reason", i.Note);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public void SaveCsv(string path) => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToCsv()));
    public void SaveMarkdown(string path) => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToMarkdown()));
    public void SaveJson(string path) => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToJson()));

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsNaN(v)) w.WriteNull(name);
        else if (double.IsInfinity(v)) w.WriteString(name, v > 0 ? "Infinity" : "-Infinity");
        else w.WriteNumber(name, Math.Round(v, 6));
    }

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
