using System.Text.Json.Nodes;
using Sr.Models;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.MLNet.Tests;

public class SuperResolveTests : IDisposable
{
    private readonly SrContext _sr = new(seed: 1);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("srfit");

    public void Dispose() => _dir.Delete(true);

    private IDataView Set5 => _sr.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5"));

    /// <summary>A small SRNet (8 features, 1 dense unit) trained for 3 steps: the pipeline's mechanics, not quality.</summary>
    private EstimatorChain<SuperResolutionTransformer> Pipeline(IProgress<TrainingProgress>? progress = null, CancellationToken token = default) =>
        _sr.Transforms.ConvertToYCbCr("Y", "Image")
            .Append(_sr.Transforms.ModCrop("HR", "Y", scale: 3))
            .Append(_sr.Transforms.Degrade("LR", "HR", scale: 3))
            .Append(_sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR", scale: 3, patchSize: 16, stride: 16))
            .AppendCacheCheckpoint(_sr)
            .Append(_sr.Transforms.SuperResolve(new SuperResolutionEstimator.Options
            {
                InputColumnName = "LR", LabelColumnName = "HR", TrainingInputColumnName = "LRPatch", TrainingLabelColumnName = "HRPatch",
                ModelName = "rsrnet-sr", Scale = 3, NetworkOptions = new JsonObject { ["Features"] = 8, ["DenseUnits"] = 1 },
                MaxSteps = 3, BatchSize = 4, TileSize = 64, Progress = progress, CancellationToken = token,
            }));

    private static List<Tensor> Outputs(IDataView view) => TestData.Images(view, "SR");

    [Fact]
    public void A_fitted_pipeline_saved_and_reloaded_gives_bit_identical_outputs_on_Set5()
    {
        var reports = new List<TrainingProgress>();
        var train = _sr.Data.TakeRows(Set5, 2);
        using var model = Pipeline(new SyncProgress<TrainingProgress>(reports.Add)).Fit(train);
        Assert.Contains(reports, r => r.Event == "done" && r.Step == 3);
        var path = Path.Combine(_dir.FullName, "model.zip");
        _sr.Model.Save(model, train.Schema, path);
        var fresh = new SrContext(seed: 1);
        using var loaded = (TransformerChain<ITransformer>)fresh.Model.Load(path, out _);
        var before = Outputs(model.Transform(Set5));
        var after = Outputs(loaded.Transform(fresh.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5"))));
        Assert.Equal(5, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].shape, after[i].shape);
            Assert.True(before[i].eq(after[i]).all().item<bool>(), $"image {i} differs");
        }
        Assert.Equal([TransformerScope.Everything, TransformerScope.Everything, TransformerScope.TrainTest, TransformerScope.Training, TransformerScope.Everything], loaded.Scopes);
    }

    [Fact]
    public void The_fitted_model_applied_to_whole_images_neither_cuts_patches_nor_with_Scoring_degrades()
    {
        using var model = Pipeline().Fit(_sr.Data.TakeRows(Set5, 1));
        var baby = _sr.Data.TakeRows(Set5, 1);
        Assert.Equal([1L, 1, 510, 510], Outputs(model.Transform(baby)).Single().shape); // HR 510 → LR 170 → SR 510
        var deployed = model.GetModelFor(TransformerScope.Scoring);
        var lr = _sr.Data.LoadFromEnumerable([new TestData.ImageRow { Name = "x", Image = new SrImage(rand(1, 3, 20, 30), ColorSpace.Rgb) }]);
        var scoring = _sr.Transforms.ConvertToYCbCr("LR", "Image").Fit(lr).Transform(lr);
        var sr = TestData.Images(deployed.Transform(scoring), "SR").Single();
        Assert.Equal([1L, 1, 60, 90], sr.shape);
    }

    [Fact]
    public void LoadSuperResolver_yields_the_ISuperResolver_the_CLI_evaluates_with()
    {
        var train = _sr.Data.TakeRows(Set5, 1);
        using var model = Pipeline().Fit(train);
        var path = Path.Combine(_dir.FullName, "m.zip");
        _sr.Model.Save(model, train.Schema, path);
        using var resolver = new SrContext().Model.LoadSuperResolver(path);
        Assert.Equal("rsrnet-sr", ((ISuperResolver)resolver).Name);
        Assert.Equal([3], resolver.Scales);
        var viaPipeline = _sr.SuperResolution.Evaluate(model.Transform(Set5), "HR", "SR", 3);
        var viaEvaluator = _sr.SuperResolution.Evaluate(resolver, Set5, 3);
        Assert.Equal(viaEvaluator.Psnr, viaPipeline.Psnr, 6);
    }

    [Fact]
    public void A_cancelled_fit_stops_with_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Pipeline(token: cts.Token).Fit(_sr.Data.TakeRows(Set5, 1)));
    }

    [Fact]
    public void Training_on_RGB_columns_for_a_Y_network_is_refused_before_data_flows()
    {
        var est = _sr.Transforms.ModCrop("HR", "Image", 3).Append(_sr.Transforms.Degrade("LR", "HR", scale: 3))
            .Append(_sr.Transforms.SuperResolve("SR", "LR", "HR", modelName: "rsrnet-sr", scale: 3, maxSteps: 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => est.GetOutputSchema(SchemaShape.Create(Set5.Schema)));
        Assert.StartsWith("Schema mismatch for input column 'LR': expected Y Image", e.Message);
    }

    [Fact]
    public void Tiled_and_whole_image_transformers_agree_within_1e5()
    {
        manual_seed(5);
        var net = new TinyNet(2);
        manual_seed(5);
        var net2 = new TinyNet(2);
        using var whole = new SuperResolutionTransformer("tiny", net, null, 0, "SR", "LR");
        using var tiled = new SuperResolutionTransformer("tiny", net2, null, 8, "SR", "LR");
        manual_seed(9);
        using var lr = rand(1, 1, 37, 53);
        using var a = whole.Upscale(lr, 2);
        using var b = tiled.Upscale(lr, 2);
        Assert.True(a.sub(b).abs().max().item<double>() <= 1e-5);
    }

    [Fact]
    public void SuperResolve_with_SpsrOptions_trains_the_SPSR_generator_adversarially_and_upscales_RGB()
    {
        // A tiny SPSR-G (nf 8, nb 1) for 2 GAN iterations on 128×128 HR patches (the VGG-128 discriminators' input):
        // the pipeline wiring (SpsrOptions → GAN loop → transformer), not quality. No VGG19 file: perceptual weight 0.
        var reports = new List<TrainingProgress>();
        var spsr = new Sr.Models.Spsr.SpsrOptions
        {
            Variant = Sr.Models.Spsr.SpsrVariant.G, Scale = 4, Features = 8, Blocks = 1, Growth = 4, DiscriminatorFeatures = 8,
            FeatureWeight = 0, BranchInitIterations = 1, BatchSize = 1,
        };
        var pipeline = _sr.Transforms.ModCrop("HR", "Image", scale: 4)
            .Append(_sr.Transforms.Degrade("LR", "HR", scale: 4))
            .Append(_sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR", scale: 4, patchSize: 32, stride: 64))
            .Append(_sr.Transforms.SuperResolve(new SuperResolutionEstimator.Options
            {
                InputColumnName = "LR", LabelColumnName = "HR", TrainingInputColumnName = "LRPatch", TrainingLabelColumnName = "HRPatch",
                ModelName = "spsr-g", Scale = 4, NetworkOptions = new JsonObject { ["nf"] = 8, ["nb"] = 1, ["gc"] = 4 },
                Spsr = spsr, MaxSteps = 2, BatchSize = 1, TileSize = 64, Progress = new SyncProgress<TrainingProgress>(reports.Add),
            }));
        using var model = pipeline.Fit(_sr.Data.TakeRows(Set5, 1));
        Assert.Contains(reports, r => r.Event == "done" && r.Step == 2);
        var output = Outputs(model.Transform(_sr.Data.TakeRows(Set5, 1)));
        Assert.Equal(new long[] { 1, 3, 512, 512 }, output[0].shape);
    }

    [Fact]
    public void The_SpsrOptions_overload_names_the_variant_and_size()
    {
        var est = _sr.Transforms.SuperResolve(new Sr.Models.Spsr.SpsrOptions { Variant = Sr.Models.Spsr.SpsrVariant.P, Scale = 2, Features = 16, Blocks = 2 }, maxSteps: 1);
        Assert.Equal("spsr-p", est.ModelName);
        Assert.Equal(2, est.Scale);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

public class ReduceTests : IDisposable
{
    private readonly SrContext _sr = new(seed: 1);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("srreduce");

    public void Dispose() => _dir.Delete(true);

    [Fact]
    public void Reduce_learns_RSRNets_down_scaler_whose_LR_is_quantised_and_survives_save_and_reload()
    {
        var set5 = _sr.Data.TakeRows(_sr.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5")), 2);
        var pipeline = _sr.Transforms.ConvertToYCbCr("Y", "Image").Append(_sr.Transforms.ModCrop("HR", "Y", scale: 2))
            .Append(_sr.Transforms.Reduce(new ReduceEstimator.Options
            {
                OutputColumnName = "LR", InputColumnName = "HR", Scale = 2, MaxSteps = 2, BatchSize = 2, HrPatchSize = 32,
                NetworkOptions = new System.Text.Json.Nodes.JsonObject { ["Features"] = 8, ["DenseUnits"] = 1 },
            }));
        using var model = pipeline.Fit(set5);
        var lr = TestData.Images(model.Transform(set5), "LR");
        Assert.Equal([1L, 1, 256, 256], lr[0].shape); // baby 512×512 ÷ 2
        using var levels = lr[0].to(ScalarType.Float64).mul(255);
        Assert.True(levels.sub(levels.round()).abs().max().item<double>() < 1e-3); // Q-BReLU: 256 levels
        var path = Path.Combine(_dir.FullName, "reduce.zip");
        _sr.Model.Save(model, set5.Schema, path);
        using var loaded = (TransformerChain<ITransformer>)new SrContext().Model.Load(path, out _);
        var again = TestData.Images(loaded.Transform(set5), "LR");
        for (int i = 0; i < lr.Count; i++) Assert.True(lr[i].eq(again[i]).all().item<bool>());
    }
}

public class ModelZipCliTests
{
    [Fact]
    public void The_CLIs_model_loader_opens_a_pipeline_zip_once_registered_and_checks_the_scale()
    {
        var sr = new SrContext(seed: 1);
        var data = sr.Data.TakeRows(sr.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5")), 1);
        using var model = sr.Transforms.ConvertToYCbCr("Y", "Image").Append(sr.Transforms.ModCrop("HR", "Y", 2)).Append(sr.Transforms.Degrade("LR", "HR", scale: 2))
            .Append(sr.Transforms.SuperResolve(new SuperResolutionEstimator.Options
            {
                ModelName = "rsrnet-sr", Scale = 2, MaxSteps = 1, BatchSize = 2, HrPatchSize = 32,
                NetworkOptions = new System.Text.Json.Nodes.JsonObject { ["Features"] = 8, ["DenseUnits"] = 1 },
            })).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"cli-{Guid.NewGuid():N}.zip");
        try
        {
            sr.Model.Save(model, data.Schema, path);
            SrModelZip.Register();
            var method = Sr.Models.Upscaling.ModelLoader.Load(path, 2);
            Assert.Equal(ColorSpace.Y, method.ColorSpace);
            (method as IDisposable)?.Dispose();
            var e = Assert.Throws<ArgumentException>(() => Sr.Models.Upscaling.ModelLoader.Load(path, 3));
            Assert.Contains("holds a ×2 model, but ×3 was asked for", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
