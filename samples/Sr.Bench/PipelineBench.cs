using System.Diagnostics;
using System.Globalization;
using Sr.MLNet;
using Sr.Models;
using Microsoft.ML;
using Sr.Models.Upscaling;
using Sr.Torch;

namespace Sr.Bench;

/// <summary>
/// `pipeline`: what the ML.NET pipeline costs. The default model ×3 (rsrnet-sr) upscales the Y channel of Set14's bicubic LR
/// images (a) through ML.NET: a SuperResolve transformer (the network as ONNX in ML.NET's OnnxTransformer, ONNX Runtime) read
/// with a cursor, (b) by calling the same network in libtorch directly on the same planes. Runs alternate; the median of each
/// is reported with the ratio.
/// </summary>
public sealed class PipelineBench : IBenchmark
{
    public string Name => "pipeline";

    public string Description => "ML.NET SuperResolve (ONNX Runtime) over Set14 vs the network called directly in libtorch";

    public int Run(string[] args, TextWriter output)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Math.Max(1, Environment.ProcessorCount);
        torch.set_num_threads(threads);
        var ml = new MLContext(seed: 1);
        var set14 = Path.Combine(BenchPaths.SharedData(), "Set14");

        // The LR inputs, made once by the pipeline's own steps and cached in memory for both sides.
        var prep = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.ConvertToYCbCr("Y", "Image"))
            .Append(ml.Transforms.ModCrop("HR", "Y", 3))
            .Append(ml.Transforms.Degrade("LR", "HR", 3));
        var files = ImageFiles.Load(ml, set14);
        var prepared = prep.Fit(files).Transform(files);
        var lrColumn = prepared.Schema["LR"];
        var rows = new List<SrImage>();
        using (var cursor = prepared.GetRowCursor([lrColumn]))
        {
            var getter = cursor.GetGetter<SrImage>(lrColumn);
            SrImage lr = null!;
            while (cursor.MoveNext())
            {
                getter(ref lr);
                rows.Add(lr);
                lr = null!;
            }
        }
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { LR = r }));
        var transformer = ml.Transforms.SuperResolve("SR", "LR", model: "default", scale: 3).Fit(data);
        using var network = DefaultModel.Load(3);

        double Direct()
        {
            var sw = Stopwatch.StartNew();
            foreach (var r in rows)
            {
                using var x = r.ToTensor();
                using var y = network.Upscale(x, 3);
            }
            return sw.Elapsed.TotalSeconds;
        }

        double Pipeline()
        {
            var sw = Stopwatch.StartNew();
            var view = transformer.Transform(data);
            using var cursor = view.GetRowCursor([view.Schema["SR"]]);
            var getter = cursor.GetGetter<SrImage>(view.Schema["SR"]);
            SrImage img = null!;
            while (cursor.MoveNext()) getter(ref img);
            return sw.Elapsed.TotalSeconds;
        }

        Direct(); // warm-up: oneDNN primitive caches, ONNX Runtime sessions, first-touch allocations
        Pipeline();
        var direct = new List<double>();
        var pipeline = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            if (i % 2 == 0) { direct.Add(Direct()); pipeline.Add(Pipeline()); }
            else { pipeline.Add(Pipeline()); direct.Add(Direct()); }
        }
        double md = BenchStats.Median(direct), mp = BenchStats.Median(pipeline);
        output.WriteLine($"| benchmark | images | threads | libtorch direct (s, median of {repeats}) | ML.NET pipeline (s) | pipeline / direct |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| pipeline: default ×3 on Set14 Y | {rows.Count} | {threads} | {md:F3} | {mp:F3} | {mp / md:F2}× |"));
        return 0;
    }

    private sealed class Row
    {
        public SrImage? LR { get; set; }
    }
}
