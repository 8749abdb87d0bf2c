using System.Diagnostics;
using System.Globalization;
using Sr.MLNet;
using Sr.Models;
using Sr.Models.Registry;
using Sr.Torch;

namespace Sr.Bench;

/// <summary>
/// `pipeline`: the Sr.MLNet data-view machinery's cost. The same network (rsrnet-sr ×3, seeded initialisation — speed
/// does not depend on training) upscales the Y channel of Set14's bicubic LR images (a) through a pipeline Transform and a
/// cursor, (b) by calling the transformer's ISuperResolver.Upscale on the same tensors directly. Runs alternate, the
/// median of each is reported with the overhead; the target is ≤ 5%.
/// </summary>
public sealed class PipelineBench : IBenchmark
{
    public string Name => "pipeline";

    public string Description => "pipeline Transform over Set14 vs the network called directly (overhead, target ≤ 5%)";

    public sealed class Row
    {
        public string Name { get; set; } = "";
        public SrImage? LR { get; set; }
    }

    public int Run(string[] args, TextWriter output)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Math.Max(1, Environment.ProcessorCount);
        torch.set_num_threads(threads);
        var sr = new SrContext(seed: 1);
        var set14 = Path.Combine(BenchPaths.SharedData(), "Set14");

        // The LR inputs, made once by the pipeline's own steps and kept in memory for both sides.
        var prep = sr.Transforms.ConvertToYCbCr("Y", "Image").Append(sr.Transforms.ModCrop("HR", "Y", 3)).Append(sr.Transforms.Degrade("LR", "HR", 3));
        var images = sr.Data.LoadImages(set14);
        var rows = sr.Data.CreateEnumerable<Row>(prep.Fit(images).Transform(images), reuseRowObject: false).ToList();

        torch.manual_seed(1);
        using var transformer = new SuperResolutionTransformer("rsrnet-sr", ModelRegistry.Create("rsrnet-sr", 3), null,
            SuperResolutionEstimator.Defaults.TileSize, "SR", "LR");
        var data = sr.Data.LoadFromEnumerable(rows);

        double Direct()
        {
            var sw = Stopwatch.StartNew();
            foreach (var r in rows)
            {
                using var y = transformer.Upscale(r.LR!.Pixels, 3);
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
            img?.Dispose();
            return sw.Elapsed.TotalSeconds;
        }

        Direct(); // warm-up: oneDNN primitive caches, first-touch allocations
        Pipeline();
        var direct = new List<double>();
        var pipeline = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            if (i % 2 == 0) { direct.Add(Direct()); pipeline.Add(Pipeline()); }
            else { pipeline.Add(Pipeline()); direct.Add(Direct()); }
        }
        double md = BenchStats.Median(direct), mp = BenchStats.Median(pipeline), overhead = (mp / md - 1) * 100;
        output.WriteLine($"| benchmark | images | threads | direct (s, median of {repeats}) | pipeline (s) | overhead |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| pipeline: rsrnet-sr ×3 on Set14 Y | {rows.Count} | {threads} | {md:F3} | {mp:F3} | {overhead:+0.0;-0.0}% |"));
        foreach (var r in rows) r.LR?.Dispose();
        return 0;
    }
}
