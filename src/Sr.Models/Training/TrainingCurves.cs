using Sr.Models.Plotting;
using Sr.Models.Rendering;

namespace Sr.Models.Training;

/// <summary>The picture of a run: training loss (log scale) above validation PSNR, both against the step.</summary>
public static class TrainingCurves
{
    public const int Width = 900, Height = 640;

    public static Canvas Render(IReadOnlyList<TrainingLog.Row> rows, string title = "")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var canvas = new Canvas(Width, Height, (255, 255, 255));
        var loss = new LinePlot { Title = title.Length > 0 ? $"{title}: training loss" : "training loss", XLabel = "step", YLabel = "loss", LogY = true };
        loss.Lines.Add(new("loss", rows.Where(r => r.Loss is not null).Select(r => ((double)r.Step, r.Loss!.Value)).ToList(), (31, 119, 180)));
        var psnr = new LinePlot { Title = "validation PSNR (dB)", XLabel = "step", YLabel = "dB", EmptyText = "no validation yet" };
        psnr.Lines.Add(new("PSNR", rows.Where(r => r.ValidationPsnr is not null).Select(r => ((double)r.Step, r.ValidationPsnr!.Value)).ToList(), (214, 39, 40), Markers: true));
        loss.Draw(canvas, 0, 0, Width, Height / 2);
        psnr.Draw(canvas, 0, Height / 2, Width, Height / 2);
        return canvas;
    }

    /// <summary>Renders and writes the PNG atomically.</summary>
    public static void WritePng(string path, IReadOnlyList<TrainingLog.Row> rows, string title = "") => Render(rows, title).SavePng(path);
}
