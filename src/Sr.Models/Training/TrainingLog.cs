using System.Globalization;
using System.Text;
using Sr.Torch.io;

namespace Sr.Models.Training;

/// <summary>
/// The rows of a training run (mean loss every few steps, validation results) with an optional CSV and a PNG of the
/// curves (drawn by <paramref name="curves"/> when one is given), both rewritten atomically (temp + rename) so a reader never
/// sees half a file.
/// </summary>
public sealed class TrainingLog(string? csvPath, string? pngPath, ICurvesRenderer? curves = null)
{
    public const string Header = "step,elapsed_s,loss,lr,val_psnr,val_ssim";

    /// <summary>A training row has <see cref="Loss"/>; a validation row has <see cref="ValidationPsnr"/>.</summary>
    public sealed record Row(long Step, double ElapsedSeconds, double? Loss, double LearningRate, double? ValidationPsnr, double? ValidationSsim);

    private readonly List<Row> _rows = [];
    private readonly object _gate = new();

    public string? CsvPath { get; } = csvPath;
    /// <summary>Where the curves go; null when no path or no renderer was given.</summary>
    public string? PngPath { get; } = curves is null ? null : pngPath;

    public IReadOnlyList<Row> Rows
    {
        get { lock (_gate) return _rows.ToList(); }
    }

    public void Add(Row row)
    {
        ArgumentNullException.ThrowIfNull(row);
        lock (_gate) _rows.Add(row);
    }

    /// <summary>Takes over the rows of an existing CSV up to <paramref name="step"/> (a resumed run continues its curves).</summary>
    public void LoadExisting(long step)
    {
        if (CsvPath is null || !File.Exists(CsvPath)) return;
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(CsvPath).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 6 || !long.TryParse(f[0], CultureInfo.InvariantCulture, out long s)) continue; // tolerate a foreign or torn line
            if (s > step) continue;
            rows.Add(new Row(s, Num(f[1]) ?? 0, Num(f[2]), Num(f[3]) ?? 0, Num(f[4]), Num(f[5])));
        }
        lock (_gate)
        {
            _rows.Clear();
            _rows.AddRange(rows);
        }

        static double? Num(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    public string ToCsv()
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in Rows)
            sb.Append(r.Step.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(F(r.ElapsedSeconds, "F2")).Append(',')
              .Append(r.Loss is double l ? F(l, "G6") : "").Append(',')
              .Append(F(r.LearningRate, "G4")).Append(',')
              .Append(r.ValidationPsnr is double p ? F(p, "F4") : "").Append(',')
              .Append(r.ValidationSsim is double q ? F(q, "F5") : "").Append('\n');
        return sb.ToString();

        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Rewrites the CSV and the PNG (whichever paths are set).</summary>
    public void Write()
    {
        if (CsvPath is not null) AtomicFile.WriteAllBytes(CsvPath, Encoding.UTF8.GetBytes(ToCsv()));
        if (PngPath is not null) curves!.WritePng(PngPath, Rows);
    }
}
