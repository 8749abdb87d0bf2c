using System.Globalization;
using ScottPlot;
using Sr.Models.Training;
using Sr.Torch.io;

namespace Sr.Plots;

/// <summary>
/// The picture of a training run, drawn with ScottPlot: training loss (log scale) and validation PSNR, each against the step
/// (left) and against the training time in minutes (right), so runs of different speed can be compared either way.
/// </summary>
public sealed class TrainingCurvesPlot : ICurvesRenderer
{
    public const int Width = 1200, Height = 800;

    /// <summary>The colours of the two series (matplotlib's first two).</summary>
    public static readonly (byte R, byte G, byte B) LossColor = (31, 119, 180), PsnrColor = (214, 39, 40);

    /// <summary>Shown in the PSNR panels of a run that has not validated yet.</summary>
    public const string NoValidationText = "no validation yet (validation runs only when a validation folder is given)";

    /// <summary>The title above the figure; null takes the file name without ".curves.png".</summary>
    public string? Title { get; init; }

    public void WritePng(string path, IReadOnlyList<TrainingLog.Row> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Render(rows, Title ?? TitleFromPath(path)));
    }

    /// <summary>The PNG bytes of the figure for <paramref name="rows"/>.</summary>
    public static byte[] Render(IReadOnlyList<TrainingLog.Row> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string font = PlotFonts.ForScottPlot();
        var losses = rows.Where(r => r.Loss is double l && double.IsFinite(l) && l > 0).ToList();
        var validations = rows.Where(r => r.ValidationPsnr is double p && double.IsFinite(p)).ToList();
        IMultiplot figure = new Multiplot();
        figure.AddPlots(4);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 2);
        var panels = figure.GetPlots();
        foreach (var p in panels) p.Font.Set(font);

        for (int col = 0; col < 2; col++)
        {
            bool minutes = col == 1;
            string xLabel = minutes ? "training time (min)" : "step";
            double X(TrainingLog.Row r) => minutes ? r.ElapsedSeconds / 60 : r.Step;

            var loss = panels[col];
            loss.Title(col == 0 && title.Length > 0 ? $"{title}: training loss" : "training loss");
            loss.XLabel(xLabel);
            loss.YLabel("loss (log scale)");
            if (losses.Count > 0)
            {
                var ys = losses.Select(r => Math.Log10(r.Loss!.Value)).ToArray();
                var line = loss.Add.ScatterLine(losses.Select(X).ToArray(), ys, ToColor(LossColor));
                line.LineWidth = 2;
                var (ticks, labels) = LogTicks(ys.Min(), ys.Max());
                loss.Axes.Left.SetTicks(ticks, labels);
                loss.Axes.SetLimitsY(Math.Min(ticks[0], ys.Min()), Math.Max(ticks[^1], ys.Max()));
            }
            else
            {
                loss.Add.Annotation("no loss logged yet", Alignment.MiddleCenter);
            }

            var psnr = panels[2 + col];
            psnr.Title("validation PSNR (dB)");
            psnr.XLabel(xLabel);
            psnr.YLabel("PSNR (dB)");
            if (validations.Count > 0)
            {
                var line = psnr.Add.Scatter(validations.Select(X).ToArray(), validations.Select(r => r.ValidationPsnr!.Value).ToArray(), ToColor(PsnrColor));
                line.LineWidth = 2;
                line.MarkerSize = 6;
            }
            else
            {
                psnr.Add.Annotation(NoValidationText, Alignment.MiddleCenter);
            }
            // Both rows of a column share the x range, so a step (or minute) sits at the same place in both panels.
            var xs = rows.Select(X).ToArray();
            if (xs.Length > 0)
            {
                double lo = Math.Min(0, xs.Min()), hi = Math.Max(xs.Max(), lo + 1e-9);
                loss.Axes.SetLimitsX(lo, hi + (hi - lo) * 0.02);
                psnr.Axes.SetLimitsX(lo, hi + (hi - lo) * 0.02);
            }
        }
        return figure.Render(Width, Height).GetImageBytes(ImageFormat.Png, 100);
    }

    /// <summary>
    /// Ticks for a log10 axis spanning [<paramref name="lo"/>, <paramref name="hi"/>] (log10 values): 1-2-5 steps per decade,
    /// or every integer mantissa when the range is under a decade and 1-2-5 would give fewer than three ticks.
    /// </summary>
    internal static (double[] Ticks, string[] Labels) LogTicks(double lo, double hi)
    {
        if (!(hi >= lo) || !double.IsFinite(lo) || !double.IsFinite(hi)) throw new ArgumentException($"Bad log range [{lo}, {hi}].");
        foreach (var mantissas in new[] { new[] { 1.0, 2, 5 }, [1.0, 2, 3, 4, 5, 6, 7, 8, 9] })
        {
            var ticks = new List<double>();
            for (int k = (int)Math.Floor(lo) - 1; k <= (int)Math.Ceiling(hi); k++)
                foreach (var m in mantissas) ticks.Add(Math.Log10(m) + k);
            // The tightest run of ticks that brackets the range.
            int first = ticks.FindLastIndex(t => t <= lo + 1e-12), last = ticks.FindIndex(t => t >= hi - 1e-12);
            var chosen = ticks.Skip(first).Take(last - first + 1).ToArray();
            if (chosen.Length >= 3 || mantissas.Length == 9)
                return (chosen, chosen.Select(t => Math.Pow(10, t).ToString("G3", CultureInfo.InvariantCulture)).ToArray());
        }
        throw new InvalidOperationException("unreachable");
    }

    private static string TitleFromPath(string path)
    {
        string name = Path.GetFileName(path);
        foreach (var suffix in new[] { ".curves.png", ".png" })
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return name[..^suffix.Length];
        return name;
    }

    private static Color ToColor((byte R, byte G, byte B) c) => new(c.R, c.G, c.B);
}
