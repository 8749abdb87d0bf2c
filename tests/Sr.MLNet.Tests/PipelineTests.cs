using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sr.Models;
using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Upscaling;
using Sr.Torch;

namespace Sr.MLNet.Tests;

public sealed class PipelineTests
{
    private static IEstimator<ITransformer> Prepare(MLContext ml, int scale) =>
        ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "Path")
            .Append(ml.Transforms.ConvertToYCbCr("Y", "Image"))
            .Append(ml.Transforms.ModCrop("HR", "Y", scale: scale))
            .Append(ml.Transforms.Degrade("LR", "HR", scale: scale));

    [Fact]
    public void Default_model_through_MLNet_scores_Set5_x2_as_sr_eval_and_its_zip_reloads_bit_identically_in_a_fresh_context()
    {
        var ml = new MLContext(seed: 1);
        var images = ImageFiles.Load(ml, TestData.Set5);
        var model = Prepare(ml, 2).Append(ml.Transforms.SuperResolve("SR", "LR", model: "default", scale: 2)).Fit(images);
        var metrics = ml.SuperResolution().Evaluate(model.Transform(images), "HR", "SR", scale: 2, dataset: "Set5");
        Assert.Equal(5, metrics.PerImage.Rows.Count);
        Assert.Equal(["baby.png", "bird.png", "butterfly.png", "head.png", "woman.png"], metrics.Report.Images.Select(i => i.Name));

        // The same network in libtorch through the CLI's evaluator: ONNX Runtime's float results differ in the last bits,
        // which can move a rounded pixel by one level here and there.
        using var libtorch = DefaultModel.Load(2);
        var cli = new SrEvaluator().EvaluateFolder(TestData.Set5, libtorch, 2);
        Assert.Equal(cli.MeanPsnr, metrics.MeanPsnr, 0.01);
        Assert.Equal(cli.MeanSsim, metrics.MeanSsim, 0.0005);

        var dir = TestData.TempDir();
        var zip = Path.Combine(dir, "model.zip");
        ml.Model.Save(model, images.Schema, zip);
        using (var archive = ZipFile.OpenRead(zip))
        {
            using var key = archive.GetEntry("TransformerChain/Model.key")!.Open();
            var header = new byte[8];
            key.ReadExactly(header);
            Assert.Equal("ML\0MODEL"u8.ToArray(), header);
            Assert.Contains(archive.Entries, e => e.Name == "OnnxModel");
        }

        var fresh = new MLContext(seed: 7);
        fresh.ComponentCatalog.RegisterAssembly(typeof(SrImage).Assembly);
        var loaded = fresh.Model.Load(zip, out _);
        var reloaded = fresh.SuperResolution().Evaluate(loaded.Transform(images), "HR", "SR", scale: 2);
        Assert.Equal(metrics.Report.Images.Select(i => i.Psnr), reloaded.Report.Images.Select(i => i.Psnr));

        // The CLI's reader of such zips (sr eval --model m.zip) runs the same ONNX network: the same mean.
        using var fromZip = (IDisposable)MlNetModelZip.Load(zip, 2);
        var cliZip = new SrEvaluator().EvaluateFolder(TestData.Set5, (ISuperResolver)fromZip, 2);
        Assert.True(Math.Abs(metrics.MeanPsnr - cliZip.MeanPsnr) < 1e-9, $"pipeline {metrics.MeanPsnr:R} vs sr eval on the zip {cliZip.MeanPsnr:R}; " +
            string.Join(", ", metrics.Report.Images.Zip(cliZip.Images, (a, b) => $"{a.Name} {a.Psnr:R}/{b.Psnr:R}")));

        // A process that references only ML.NET loads SrMlNet's assemblies by path and computes the same PSNR itself.
        var consumer = Path.Combine(TestData.Root, "samples", "ZipConsumer", "bin", "Release", "net10.0", "ZipConsumer.dll");
        Assert.True(File.Exists(consumer), $"{consumer} is built with the solution");
        var psi = new ProcessStartInfo("dotnet", [consumer, AppContext.BaseDirectory, zip, TestData.Set5, "2"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        var mean = stdout.Split('\n').Single(l => l.StartsWith("mean PSNR ", StringComparison.Ordinal)).Split(' ')[2];
        Assert.Equal(metrics.MeanPsnr, double.Parse(mean, CultureInfo.InvariantCulture), 1e-4);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void SuperResolve_trains_a_registered_network_in_Fit_on_the_rows_and_the_zip_holds_the_trained_weights()
    {
        var ml = new MLContext(seed: 1);
        var images = ImageFiles.Load(ml, TestData.Set5);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Source == "SrMlNet.SuperResolve" && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) lock (log) log.Add(e.RawMessage); };
        var estimator = ml.Transforms.SuperResolve(new SuperResolveOptions { Model = "rsrnet-sr", Scale = 2, MaxSteps = 5, BatchSize = 2, HrPatchSize = 32, Log = ml });
        var model = Prepare(ml, 2).Append(estimator).Fit(images);
        Assert.NotNull(estimator.LastTraining);
        Assert.Equal(5, estimator.LastTraining!.Step);
        Assert.StartsWith("training rsrnet-sr ×2", log[0]);
        Assert.Contains(log, m => m.StartsWith("trained 5 steps", StringComparison.Ordinal));
        var before = ml.SuperResolution().Evaluate(model.Transform(images), scale: 2);
        Assert.All(before.Report.Images, i => Assert.True(double.IsFinite(i.Psnr)));

        var zip = Path.Combine(TestData.TempDir(), "srcnn.zip");
        ml.Model.Save(model, images.Schema, zip);
        var (_, info) = MlNetModelZip.ReadNetwork(zip);
        Assert.Equal("rsrnet-sr", info.ModelName);
        Assert.Equal(2, info.Scale);
        var fresh = new MLContext();
        fresh.ComponentCatalog.RegisterAssembly(typeof(SrImage).Assembly);
        var after = fresh.SuperResolution().Evaluate(fresh.Model.Load(zip, out _).Transform(images), scale: 2);
        Assert.Equal(before.Report.Images.Select(i => i.Psnr), after.Report.Images.Select(i => i.Psnr));
    }

    [Fact]
    public void Reduce_runs_a_trained_RSRNets_down_scaler_as_libtorch_does_and_saves_with_the_model()
    {
        var ml = new MLContext(seed: 1);
        var images = ImageFiles.Load(ml, TestData.Set5);
        var dir = TestData.TempDir();
        var srm = Path.Combine(dir, "rsrnet.srm");
        Prepare(ml, 2).Append(ml.Transforms.SuperResolve(new SuperResolveOptions
        {
            Model = "rsrnet", Scale = 2, MaxSteps = 3, BatchSize = 2, HrPatchSize = 32, SaveModelFile = srm,
        })).Fit(images);

        var model = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.ConvertToYCbCr("Y", "Image"))
            .Append(ml.Transforms.ModCrop("HR", "Y", scale: 2))
            .Append(ml.Transforms.Reduce("LR", "HR", model: srm, scale: 2))
            .Fit(images);
        var zip = Path.Combine(dir, "reduce.zip");
        ml.Model.Save(model, images.Schema, zip);
        var fresh = new MLContext();
        fresh.ComponentCatalog.RegisterAssembly(typeof(SrImage).Assembly);
        var output = fresh.Model.Load(zip, out _).Transform(images);
        var rows = fresh.Data.CreateEnumerable<HrLr>(output, reuseRowObject: false).ToList();
        Assert.Equal(5, rows.Count);

        using var file = Sr.Models.Training.ModelFile.Read(srm);
        using var network = file.CreateNetwork(Sr.Models.Registry.ModelRegistry.Get("rsrnet"));
        network.eval();
        foreach (var row in rows)
        {
            Assert.Equal((row.HR!.Height / 2, row.HR.Width / 2), (row.LR!.Height, row.LR.Width));
            using var mode = torch.inference_mode();
            using var hr = row.HR.ToTensor();
            using var expected = ((Sr.Models.Networks.IReducingNetwork)network).Reduce(hr);
            var want = expected.contiguous().data<float>();
            // The Q-BReLU quantises to 1/255 steps; ONNX Runtime's last-bit differences may move a value across a step.
            int off = want.Zip(row.LR.Pixels, (a, b) => Math.Abs(a - b)).Count(d => d > 1e-6f);
            Assert.True(want.Zip(row.LR.Pixels, (a, b) => Math.Abs(a - b)).Max() <= 1 / 255f + 1e-6f);
            Assert.True(off <= want.Length / 1000, $"{row.HR.Source}: {off} of {want.Length} values differ");
        }
        // The CLI's zip reader skips the down-scaler: this model has no upscaler to run.
        Assert.Contains("without SrMlNet's SuperResolve step", Assert.Throws<InvalidDataException>(() => MlNetModelZip.ReadNetwork(zip)).Message);
        Directory.Delete(dir, recursive: true);
    }

    private sealed class HrLr
    {
        public SrImage? HR { get; set; }
        public SrImage? LR { get; set; }
    }

    [Fact]
    public void PredictionEngine_upscales_one_photo_with_the_default_model_as_sr_upscale_does()
    {
        var ml = new MLContext();
        var model = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.SuperResolve("SR", "Image", model: "default", scale: 2))
            .Fit(ml.Data.LoadFromEnumerable(Array.Empty<ImagePath>()));
        var engine = ml.Model.CreatePredictionEngine<ImagePath, Upscaled>(model);
        var path = Path.Combine(TestData.Set5, "butterfly.png");
        var result = engine.Predict(new ImagePath { Path = path }).SR!;
        Assert.Equal((512, 512), (result.Width, result.Height));

        using var file = Sr.Torch.io.ImageFile.Read(path);
        using var method = DefaultModel.Load(2);
        using var expected = ImageUpscaler.Upscale(file, method, 2);
        var reference = expected.Pixels.data<byte>(); // H×W×3 RGB
        var bgra = result.Pixels;
        int worst = 0, differing = 0;
        for (int i = 0; i < 512 * 512; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                int d = Math.Abs(bgra[4 * i + 2 - c] - reference[3 * i + c]);
                worst = Math.Max(worst, d);
                if (d > 0) differing++;
            }
        }
        Assert.True(worst <= 1, $"largest difference {worst} levels");
        Assert.True(differing < 512 * 512 * 3 / 100, $"{differing} values differ by one level");
    }

    [Fact]
    public void A_step_on_a_column_of_the_wrong_type_names_the_column_and_both_types()
    {
        var ml = new MLContext();
        var images = ImageFiles.Load(ml, TestData.Set5);
        var pipeline = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ModCrop("HR", "Image", scale: 3));
        var e = Assert.ThrowsAny<ArgumentException>(() => pipeline.Fit(images));
        Assert.Contains("'Image'", e.Message);
        Assert.Contains("SrImage", e.Message);
        Assert.Contains("Image (MLImage)", e.Message);
    }

    [Fact]
    public void Model_zips_that_are_not_SrMlNets_are_refused_naming_the_file()
    {
        var dir = TestData.TempDir();
        var noise = Path.Combine(dir, "noise.zip");
        File.WriteAllBytes(noise, [1, 2, 3, 4, 5]);
        Assert.Contains(noise, Assert.Throws<InvalidDataException>(() => MlNetModelZip.ReadNetwork(noise)).Message);

        var foreign = Path.Combine(dir, "foreign.zip");
        using (var z = ZipFile.Open(foreign, ZipArchiveMode.Create)) z.CreateEntry("options.json");
        var old = Assert.Throws<InvalidDataException>(() => MlNetModelZip.ReadNetwork(foreign));
        Assert.Contains(foreign, old.Message);
        Assert.Contains("before the ML.NET rebuild", old.Message);

        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new ImagePath { Path = "x" } });
        var plain = Path.Combine(dir, "plain.zip");
        ml.Model.Save(ml.Transforms.CopyColumns("P2", "Path").Fit(data), data.Schema, plain);
        var notOurs = Assert.Throws<InvalidDataException>(() => MlNetModelZip.ReadNetwork(plain));
        Assert.Contains("without SrMlNet's SuperResolve step", notOurs.Message);

        // An altered network entry: the ONNX bytes no longer parse.
        var images = ImageFiles.Load(ml, TestData.Set5);
        var good = Path.Combine(dir, "good.zip");
        var model = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.SuperResolve("SR", "Image")).Fit(images);
        ml.Model.Save(model, images.Schema, good);
        var altered = Path.Combine(dir, "altered.zip");
        File.Copy(good, altered);
        using (var z = ZipFile.Open(altered, ZipArchiveMode.Update))
        {
            var entry = z.Entries.Single(e => e.Name == "OnnxModel");
            byte[] bytes;
            using (var s = entry.Open()) { using var m = new MemoryStream(); s.CopyTo(m); bytes = m.ToArray(); }
            var name = entry.FullName;
            entry.Delete();
            Array.Resize(ref bytes, bytes.Length / 2);
            using var w = z.CreateEntry(name).Open();
            w.Write(bytes);
        }
        var damaged = Assert.Throws<InvalidDataException>(() => MlNetModelZip.ReadNetwork(altered));
        Assert.Contains(altered, damaged.Message);
        Directory.Delete(dir, recursive: true);
    }

    private sealed class Upscaled
    {
        public MLImage? SR { get; set; }
    }
}
