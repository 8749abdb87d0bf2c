using System.Text;
using Microsoft.Data.Analysis;
using Sr.Models.Evaluation;

namespace Sr.MLNet;

/// <summary>
/// An evaluation as <see cref="DataFrame"/>s: one row per image (name, size, PSNR, SSIM, seconds, outcome, protocol columns) and the
/// summary row the papers report. The numbers are those of the underlying <see cref="EvalReport"/> — the report <c>sr eval</c>
/// writes — so the pipeline and the CLI agree on every mean (+∞ for a perfect image is kept by both).
/// </summary>
public sealed class SuperResolutionMetrics
{
    public SuperResolutionMetrics(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
        PerImage = ToDataFrame(report);
        Summary = SummaryFrame(report);
    }

    public EvalReport Report { get; }

    /// <summary>One row per image (every row: no 100-row cut as <c>IDataView.ToDataFrame()</c>'s default).</summary>
    public DataFrame PerImage { get; }

    /// <summary>One row: the dataset, scale, protocol, method and the mean PSNR/SSIM over the measured images.</summary>
    public DataFrame Summary { get; }

    public double MeanPsnr => Report.MeanPsnr;

    public double MeanSsim => Report.MeanSsim;

    /// <summary>The per-image rows and the mean row as CSV (the same file as <c>sr eval --csv</c>), written atomically.</summary>
    public void SaveCsv(string path) => Report.SaveCsv(path);

    public void SaveMarkdown(string path) => Report.SaveMarkdown(path);

    public void SaveJson(string path) => Report.SaveJson(path);

    public static DataFrame ToDataFrame(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var images = report.Images;
        return new DataFrame(
            new StringDataFrameColumn("dataset", images.Select(_ => report.Dataset)),
            new PrimitiveDataFrameColumn<int>("scale", images.Select(_ => report.Scale)),
            new StringDataFrameColumn("protocol", images.Select(_ => report.Protocol.Name)),
            new StringDataFrameColumn("method", images.Select(_ => report.Method)),
            new StringDataFrameColumn("name", images.Select(i => i.Name)),
            new PrimitiveDataFrameColumn<int>("width", images.Select(i => i.Width)),
            new PrimitiveDataFrameColumn<int>("height", images.Select(i => i.Height)),
            new PrimitiveDataFrameColumn<double>("psnr", images.Select(i => i.Psnr)),
            new PrimitiveDataFrameColumn<double>("ssim", images.Select(i => i.Ssim)),
            new PrimitiveDataFrameColumn<double>("seconds", images.Select(i => i.Seconds)),
            new StringDataFrameColumn("outcome", images.Select(i => i.Outcome.ToString().ToLowerInvariant())));
    }

    private static DataFrame SummaryFrame(EvalReport r) => new(
        new StringDataFrameColumn("dataset", [r.Dataset]),
        new PrimitiveDataFrameColumn<int>("scale", [r.Scale]),
        new StringDataFrameColumn("protocol", [r.Protocol.Name]),
        new StringDataFrameColumn("method", [r.Method]),
        new PrimitiveDataFrameColumn<int>("images", [r.MeasuredCount]),
        new PrimitiveDataFrameColumn<double>("psnr", [r.MeanPsnr]),
        new PrimitiveDataFrameColumn<double>("ssim", [r.MeanSsim]));

    /// <summary>The per-image table and the mean, as Markdown.</summary>
    public override string ToString() => Report.ToMarkdown();
}
