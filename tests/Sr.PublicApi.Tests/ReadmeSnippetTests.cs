using Microsoft.ML;
using Sr.MLNet;

namespace Sr.PublicApi.Tests;

/// <summary>The README's pipeline snippet, kept compiling here (paths and budget as parameters; the rest as written there).</summary>
public sealed class ReadmeSnippetTests
{
    internal static SuperResolutionMetrics ReadmePipeline(string data, TimeSpan budget, long? steps = null)
    {
        var ml = new MLContext(seed: 1);
        var t91 = ImageFiles.Load(ml, Path.Combine(data, "T91"));                        // a "Path" column
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "Path")   // ML.NET's own
            .Append(ml.Transforms.ConvertToYCbCr("Y", "Image"))                          // SrMlNet's, from here on
            .Append(ml.Transforms.ModCrop("HR", "Y", scale: 3))
            .Append(ml.Transforms.Degrade("LR", "HR", scale: 3, kind: "bicubic"))
            .Append(ml.Transforms.SuperResolve(new SuperResolveOptions
            {
                Model = "rsrnet-sr", Scale = 3, BatchSize = 32, MaxDuration = budget, MaxSteps = steps,   // Fit trains it
            }));
        var model = pipeline.Fit(t91);
        var zip = Path.Combine(Path.GetTempPath(), $"rsrnet-x3-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, t91.Schema, zip);                                           // a genuine ML.NET zip, weights inside
        var set5 = ImageFiles.Load(ml, Path.Combine(data, "Set5"));
        SuperResolutionMetrics metrics = ml.SuperResolution().Evaluate(model.Transform(set5), "HR", "SR", scale: 3);
        Console.WriteLine(metrics);
        File.Delete(zip);
        return metrics;
    }

    [Fact]
    public void The_README_pipeline_trains_saves_and_evaluates_as_written()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) dir = dir.Parent;
        var data = Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "data"));
        var metrics = ReadmePipeline(data, TimeSpan.FromMinutes(10), steps: 3);
        Assert.Equal(5, metrics.PerImage.Rows.Count);
        Assert.All(metrics.Report.Images, i => Assert.True(double.IsFinite(i.Psnr) && i.Psnr > 10, $"{i.Name}: {i.Psnr} dB"));
    }
}
