using System.Globalization;
using Sr.Models.Rendering;

namespace Sr.Models.Plotting;

/// <summary>
/// A minimal line chart drawn into a <see cref="Canvas"/> panel (the 5×7 font of Rendering draws letters as capitals): frame, grid, "nice" ticks (1/2/5·10^k), tick labels,
/// title, axis labels, a legend, and each series as a polyline (no plotting library is available here).
/// </summary>
public sealed class LinePlot
{
    public sealed record Series(string Name, IReadOnlyList<(double x, double y)> Points, (byte r, byte g, byte b) Color, bool Markers = false);

    public string Title { get; init; } = "";
    public string XLabel { get; init; } = "";
    public string YLabel { get; init; } = "";

    /// <summary>Logarithmic y axis (non-positive values are left out).</summary>
    public bool LogY { get; init; }

    public List<Series> Lines { get; } = [];

    /// <summary>Text shown in the middle of the panel when no series has a point.</summary>
    public string EmptyText { get; init; } = "no data yet";

    private static readonly (byte, byte, byte) Ink = (30, 30, 30), Grid = (225, 225, 225), Frame = (120, 120, 120);
    private const int Left = 64, Right = 12, Top = 22, Bottom = 34;

    /// <summary>The pixel rectangle where data is drawn, for a panel at (x, y) of size w×h.</summary>
    public static (int x, int y, int w, int h) PlotArea(int x, int y, int w, int h) => (x + Left, y + Top, w - Left - Right, h - Top - Bottom);

    public void Draw(Canvas canvas, int x, int y, int w, int h)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        var (px, py, pw, ph) = PlotArea(x, y, w, h);
        canvas.DrawText(x + (w - BitmapFont.MeasureWidth(Title, 2)) / 2, y + 2, Title, Ink, 2);
        canvas.DrawText(px + (pw - BitmapFont.MeasureWidth(XLabel)) / 2, py + ph + 22, XLabel, Ink, 1);
        canvas.DrawText(x + 2, y + 8, YLabel, Ink, 1);
        double Ty(double v) => LogY ? Math.Log10(v) : v;
        var points = Lines.SelectMany(s => s.Points).Where(p => double.IsFinite(p.x) && double.IsFinite(p.y) && (!LogY || p.y > 0)).ToList();
        if (points.Count == 0)
        {
            canvas.DrawRect(px, py, pw, ph, Frame);
            canvas.DrawText(px + (pw - BitmapFont.MeasureWidth(EmptyText)) / 2, py + ph / 2, EmptyText, Frame, 1);
            return;
        }
        var (x0, x1) = Range(points.Select(p => p.x));
        var (y0, y1) = Range(points.Select(p => Ty(p.y)));
        var xt = NiceTicks(x0, x1, 6);
        var yt = LogY ? LogTicks(y0, y1) : NiceTicks(y0, y1, 5);
        (x0, x1) = (Math.Min(x0, xt[0]), Math.Max(x1, xt[^1]));
        (y0, y1) = (Math.Min(y0, yt[0]), Math.Max(y1, yt[^1]));
        int Sx(double v) => px + (int)Math.Round((v - x0) / (x1 - x0) * (pw - 1));
        int Sy(double v) => py + ph - 1 - (int)Math.Round((v - y0) / (y1 - y0) * (ph - 1));
        foreach (var t in xt)
        {
            canvas.DrawLine(Sx(t), py, Sx(t), py + ph - 1, Grid);
            var label = Label(t);
            canvas.DrawText(Sx(t) - BitmapFont.MeasureWidth(label) / 2, py + ph + 5, label, Ink, 1);
        }
        foreach (var t in yt)
        {
            canvas.DrawLine(px, Sy(t), px + pw - 1, Sy(t), Grid);
            var label = Label(LogY ? Math.Pow(10, t) : t);
            canvas.DrawText(px - 6 - BitmapFont.MeasureWidth(label), Sy(t) - 3, label, Ink, 1);
        }
        canvas.DrawRect(px, py, pw, ph, Frame);
        foreach (var s in Lines)
        {
            var pts = s.Points.Where(p => double.IsFinite(p.x) && double.IsFinite(p.y) && (!LogY || p.y > 0)).Select(p => (X: Sx(p.x), Y: Sy(Ty(p.y)))).ToList();
            for (int i = 1; i < pts.Count; i++) canvas.DrawLine(pts[i - 1].X, pts[i - 1].Y, pts[i].X, pts[i].Y, s.Color, 2);
            if (s.Markers || pts.Count == 1) foreach (var p in pts) canvas.FillRect(p.X - 2, p.Y - 2, 5, 5, s.Color);
        }
        int ly = py + 6;
        foreach (var s in Lines.Where(s => s.Name.Length > 0))
        {
            int lx = px + pw - 8 - BitmapFont.MeasureWidth(s.Name) - 18;
            canvas.FillRect(lx - 3, ly - 2, BitmapFont.MeasureWidth(s.Name) + 22, 11, (255, 255, 255)); // keep the legend readable over a curve
            canvas.FillRect(lx, ly + 2, 12, 3, s.Color);
            canvas.DrawText(lx + 16, ly, s.Name, Ink, 1);
            ly += 12;
        }
    }

    private static (double lo, double hi) Range(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) { lo -= 0.5 * Math.Max(1e-6, Math.Abs(lo) * 0.01); hi += 0.5 * Math.Max(1e-6, Math.Abs(hi) * 0.01); }
        return (lo, hi);
    }

    /// <summary>About <paramref name="count"/> round tick values (steps of 1, 2 or 5 × 10^k) covering [lo, hi].</summary>
    public static double[] NiceTicks(double lo, double hi, int count)
    {
        double raw = (hi - lo) / Math.Max(1, count - 1);
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = mag * (raw / mag <= 1 ? 1 : raw / mag <= 2 ? 2 : raw / mag <= 5 ? 5 : 10);
        double first = Math.Floor(lo / step) * step, last = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (double t = first; t <= last + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return [.. ticks];
    }

    /// <summary>log10 of the 1/2/5·10^k values bracketing [10^lo, 10^hi] (only powers of ten when that gives too many).</summary>
    public static double[] LogTicks(double lo, double hi)
    {
        foreach (var mantissas in new[] { new[] { 1.0, 2, 5 }, [1.0] })
        {
            var values = new List<double>();
            for (int k = (int)Math.Floor(lo) - 1; k <= (int)Math.Ceiling(hi) + 1; k++)
                foreach (var m in mantissas) values.Add(Math.Log10(m) + k);
            double first = values.Where(v => v <= lo + 1e-12).DefaultIfEmpty(values[0]).Max();
            double last = values.Where(v => v >= hi - 1e-12).DefaultIfEmpty(values[^1]).Min();
            var ticks = values.Where(v => v >= first && v <= last).ToArray();
            if (ticks.Length <= 8) return ticks;
        }
        return NiceTicks(lo, hi, 5);
    }

    private static string Label(double v)
    {
        double a = Math.Abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) return v.ToString("0.#e0", CultureInfo.InvariantCulture);
        if (a >= 1000) return v.ToString("0", CultureInfo.InvariantCulture);
        return v.ToString("G4", CultureInfo.InvariantCulture);
    }
}
