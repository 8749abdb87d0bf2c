using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sr.MLNet;

namespace Sr.PublicApi.Tests;

/// <summary>SrMlNet's public surface is ML.NET's own types: what a user's app compiles against (no InternalsVisibleTo here).</summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void Every_catalog_step_is_an_MLNet_estimator_that_appends_to_MLNets_own_transforms()
    {
        var ml = new MLContext(seed: 1);
        IEstimator<ITransformer> chain = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "Path")
            .Append(ml.Transforms.ConvertToYCbCr("Y", "Image"))
            .Append(ml.Transforms.ModCrop("HR", "Y", scale: 3))
            .Append(ml.Transforms.Degrade("LR", "HR", scale: 3, kind: "bicubic", seed: 1))
            .Append(ml.Transforms.SuperResolve(new SuperResolveOptions { Model = "default", Scale = 3 }))
            .Append(ml.Transforms.ConvertToRgb("SRImage", "SR"))
            .Append(ml.Transforms.CopyColumns("Name", "Path"));
        var images = ImageFiles.Load(ml, Path.GetFullPath(Path.Combine(Root(), "..", "shared", "data", "Set5")));
        ITransformer model = chain.Fit(images);
        Assert.IsAssignableFrom<ICanSaveModel>(model);
        IDataView output = model.Transform(images);
        Assert.IsType<SrImageDataViewType>(output.Schema["SR"].Type);
        Assert.Equal("Image", output.Schema["SRImage"].Type.RawType == typeof(MLImage) ? "Image" : output.Schema["SRImage"].Type.ToString());

        SuperResolutionMetrics metrics = ml.SuperResolution().Evaluate(output, "HR", "SR", scale: 3);
        DataFrame table = metrics.PerImage;
        Assert.Equal(5, table.Rows.Count);
        Assert.InRange(metrics.MeanPsnr, 33.0, 33.3); // the default ×3 model's Set5 figure in the README: 33.15 dB
    }

    [Fact]
    public void Defaults_are_shared_with_the_CLI()
    {
        var ml = new MLContext();
        Assert.Equal(Sr.Models.SrDefaults.Scale, ml.Transforms.SuperResolve("SR").Options.Scale);
        Assert.Equal($"scale={Sr.Models.SrDefaults.Scale}", ml.Transforms.ModCrop("HR").Settings);
        Assert.Equal($"scale={Sr.Models.SrDefaults.Scale};kind=bicubic;seed=0", ml.Transforms.Degrade("LR").Settings);
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
