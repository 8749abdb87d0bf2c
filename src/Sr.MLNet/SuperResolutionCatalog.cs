using System.Diagnostics;
using Microsoft.ML;
using Sr.MLNet.Mappings;
using Sr.Models.Evaluation;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>SrMlNet's evaluation on an <see cref="MLContext"/>: <c>mlContext.SuperResolution().Evaluate(…)</c>.</summary>
public sealed class SuperResolutionCatalog
{
    internal SuperResolutionCatalog(MLContext context) => Context = context;

    public MLContext Context { get; }

    /// <summary>
    /// PSNR/SSIM of every row, under an explicit protocol (default y-shave: Y, shave = scale, output rounded to uint8 — the papers'),
    /// by the same measuring code as <c>sr eval</c> (<see cref="SrEvaluator.ScoreOutput"/>), so both report the same mean.
    /// </summary>
    /// <param name="data">Rows with an HR and an upscaled <see cref="SrImage"/> column of the same size (HR mod-cropped).</param>
    /// <param name="labelColumnName">The HR images (on 8-bit levels, as ConvertToYCbCr makes them).</param>
    /// <param name="scoreColumnName">The upscaled images.</param>
    /// <param name="scale">The factor (it sets the shave).</param>
    /// <param name="protocol">The protocol; default <see cref="EvalProtocol.Default"/>.</param>
    /// <param name="dataset">The report's dataset name.</param>
    /// <param name="method">The report's method name.</param>
    /// <param name="degradation">How the LR images were made (for the report).</param>
    public SuperResolutionMetrics Evaluate(IDataView data, string labelColumnName = "HR", string scoreColumnName = "SR", int scale = Sr.Models.SrDefaults.Scale,
        EvalProtocol? protocol = null, string dataset = "", string method = "", string degradation = Sr.Models.SrDefaults.Degradation)
    {
        ArgumentNullException.ThrowIfNull(data);
        SrTypes.Register();
        SchemaShapes.Require(data.Schema, labelColumnName, "Evaluate (label)", SrImageDataViewType.Instance);
        SchemaShapes.Require(data.Schema, scoreColumnName, "Evaluate (score)", SrImageDataViewType.Instance);
        var evaluator = new SrEvaluator(protocol);
        var rows = new List<EvalImageResult>();
        var hrColumn = data.Schema[labelColumnName];
        var srColumn = data.Schema[scoreColumnName];
        using var cursor = data.GetRowCursor([hrColumn, srColumn]);
        var hrGetter = cursor.GetGetter<SrImage>(hrColumn);
        var srGetter = cursor.GetGetter<SrImage>(srColumn);
        SrImage hr = null!, sr = null!;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            clock.Restart();
            if (!cursor.MoveNext()) break;
            hrGetter(ref hr);
            srGetter(ref sr); // the lazy pipeline runs here: this row's seconds are its upscaling and everything before it
            double seconds = clock.Elapsed.TotalSeconds;
            string name = hr.Source is { } s ? Path.GetFileName(s) : $"row {cursor.Position}";
            using var scope = torch.NewDisposeScope();
            var hr255 = hr.ToTensor().to(ScalarType.Float64).mul(255).round();
            var (psnr, ssim) = evaluator.ScoreOutput(hr255, sr.ToTensor(), scale);
            rows.Add(new EvalImageResult(name, hr.Width, hr.Height, psnr, ssim, seconds));
        }
        return new SuperResolutionMetrics(new EvalReport(dataset, scale, evaluator.Protocol, method, degradation, rows));
    }
}

/// <summary>The entry point of SrMlNet's evaluation on ML.NET's context.</summary>
public static class MLContextExtensions
{
    /// <summary>SrMlNet's evaluation catalog: <c>mlContext.SuperResolution().Evaluate(…)</c>.</summary>
    public static SuperResolutionCatalog SuperResolution(this MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SuperResolutionCatalog(context);
    }
}
