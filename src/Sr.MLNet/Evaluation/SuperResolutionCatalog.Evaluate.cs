using System.Diagnostics;
using Sr.Models;
using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Torch;

namespace Sr.MLNet;

public sealed partial class SuperResolutionCatalog
{
    /// <summary>
    /// Scores the SR column of a transformed view against its HR column with the shared evaluator's metric code
    /// (<see cref="SrEvaluator.Score"/>: PSNR/SSIM under <paramref name="protocol"/>, default the papers' Y channel with
    /// <paramref name="scale"/> pixels shaved). HR is taken at 8-bit levels and SR rounded to them as the protocol says.
    /// Seconds per row are the time spent producing the SR value (the lazy pipeline computes it when read).
    /// </summary>
    public SuperResolutionMetrics Evaluate(IDataView data, string labelColumnName = "HR", string scoreColumnName = "SR", int scale = 3,
        EvalProtocol? protocol = null, string? dataset = null, string? method = null, string nameColumnName = "Name",
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var p = protocol ?? EvalProtocol.Default;
        var evaluator = new SrEvaluator(p);
        var hrCol = SchemaErrors.FindImage(data.Schema, labelColumnName);
        var srCol = SchemaErrors.FindImage(data.Schema, scoreColumnName);
        var nameCol = data.Schema.GetColumnOrNull(nameColumnName) is { Type: TextDataViewType } n ? n : (DataViewSchema.Column?)null;
        var rows = new List<ImageMetrics>();
        long? total = data.GetRowCount();
        using var cursor = data.GetRowCursor(nameCol is { } nc ? [hrCol, srCol, nc] : [hrCol, srCol]);
        var hrGetter = cursor.GetGetter<SrImage>(hrCol);
        var srGetter = cursor.GetGetter<SrImage>(srCol);
        var nameGetter = nameCol is { } c ? cursor.GetGetter<string>(c) : null;
        SrImage hr = null!, sr = null!;
        string name = "";
        try
        {
            while (cursor.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sw = Stopwatch.StartNew();
                srGetter(ref sr);
                sw.Stop();
                hrGetter(ref hr);
                if (nameGetter is null) name = $"row {cursor.Position}";
                else nameGetter(ref name);
                using var scope = torch.NewDisposeScope();
                var hr255 = hr.Pixels.to(ScalarType.Float64).mul(255).round();
                var sr255 = sr.Pixels.to(ScalarType.Float64).mul(255);
                if (p.RoundOutput) sr255 = ImageTensor.QuantizeToUint8Levels(sr255, 255);
                var (psnr, ssim) = evaluator.Score(hr255, sr255, scale);
                var row = new ImageMetrics(name, hr.Width, hr.Height, psnr, ssim, sw.Elapsed.TotalSeconds);
                rows.Add(row);
                progress?.Report(new EvalProgress(rows.Count, (int)(total ?? rows.Count), new EvalImageResult(name, hr.Width, hr.Height, psnr, ssim, row.Seconds)));
            }
        }
        finally
        {
            hr?.Dispose();
            sr?.Dispose();
        }
        return new SuperResolutionMetrics(method ?? scoreColumnName, dataset ?? "", scale, p.Describe(), rows);
    }

    /// <summary>
    /// Runs the shared evaluator — the code <c>sr eval</c> runs — on the HR images of <paramref name="hrImages"/> with
    /// <paramref name="method"/> (e.g. a fitted <see cref="SuperResolutionTransformer"/> or <c>sr.Model.LoadSuperResolver</c>):
    /// Y (or RGB) from the 8-bit image, mod-crop, <paramref name="degradation"/> (default MATLAB bicubic), upscale, score.
    /// Image i uses seed i, as the evaluator does for the i-th file of a folder.
    /// </summary>
    public SuperResolutionMetrics Evaluate(ISuperResolver method, IDataView hrImages, int scale, EvalProtocol? protocol = null, IDegradation? degradation = null,
        string imageColumnName = "Image", string? dataset = null, string nameColumnName = "Name",
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(hrImages);
        var evaluator = new SrEvaluator(protocol, degradation);
        var imgCol = SchemaErrors.FindImage(hrImages.Schema, imageColumnName);
        var nameCol = hrImages.Schema.GetColumnOrNull(nameColumnName) is { Type: TextDataViewType } n ? n : (DataViewSchema.Column?)null;
        var rows = new List<ImageMetrics>();
        long? total = hrImages.GetRowCount();
        using var cursor = hrImages.GetRowCursor(nameCol is { } nc ? [imgCol, nc] : [imgCol]);
        var imgGetter = cursor.GetGetter<SrImage>(imgCol);
        var nameGetter = nameCol is { } c ? cursor.GetGetter<string>(c) : null;
        SrImage img = null!;
        string name = "";
        try
        {
            while (cursor.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                imgGetter(ref img);
                if (nameGetter is null) name = $"row {cursor.Position}";
                else nameGetter(ref name);
                var score = evaluator.EvaluateImage(img.Pixels, method, scale, evaluator.Seed + cursor.Position);
                rows.Add(new ImageMetrics(name, img.Width, img.Height, score.Psnr, score.Ssim, score.Seconds));
                progress?.Report(new EvalProgress(rows.Count, (int)(total ?? rows.Count), new EvalImageResult(name, img.Width, img.Height, score.Psnr, score.Ssim, score.Seconds)));
            }
        }
        finally
        {
            img?.Dispose();
        }
        return new SuperResolutionMetrics(method.Name, dataset ?? "", scale, evaluator.Protocol.Describe(), rows);
    }
}
