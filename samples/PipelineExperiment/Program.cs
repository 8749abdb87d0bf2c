// The pipeline experiment of issue #5: RSRNet's SRNet (registry "rsrnet-sr", on bicubic LR) trained ×3 on T91 patches
// through the Sr.MLNet pipeline, saved, reloaded, evaluated on Set5 and Set14.
//   dotnet run --project samples/PipelineExperiment -c Release -- --out <dir> [--minutes m] [--steps n] [--threads t]
// writes <dir>/model.zip and <dir>/metrics.csv (per-image rows and a mean row per dataset, invariant culture).
using System.Globalization;
using Sr.MLNet;
using Sr.Models.Training;
using Sr.Torch;

string? outDir = null;
double minutes = 3;
long? steps = null;
int threads = Math.Max(1, Environment.ProcessorCount);
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--out": outDir = Next(); break;
        case "--minutes": minutes = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--steps": steps = long.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'\nusage: PipelineExperiment --out <dir> [--minutes m] [--steps n] [--threads t]");
            return 2;
    }
}
if (outDir is null)
{
    Console.Error.WriteLine("usage: PipelineExperiment --out <dir> [--minutes m] [--steps n] [--threads t]");
    return 2;
}
if (minutes <= 0) { Console.Error.WriteLine("--minutes must be positive"); return 2; }

var data = DataRoot();
Directory.CreateDirectory(outDir);
SrContext.SetThreads(threads);
const int Scale = 3;
var sr = new SrContext(seed: 1);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

// Y from the 8-bit RGB image (rounded, as MATLAB), mod-crop, MATLAB bicubic ×3 — the evaluation protocol's LR — then
// aligned patch pairs for training only. The fitted model skips the patches; a deployed one (Scoring) skips the degradation.
var pipeline = sr.Transforms.ConvertToYCbCr("Y", "Image")
    .Append(sr.Transforms.ModCrop("HR", "Y", scale: Scale))
    .Append(sr.Transforms.Degrade("LR", "HR", scale: Scale, kind: "bicubic"))
    // The paper's training data: non-overlapping 69-px HR sub-images at ×3 (23-px LR).
    .Append(sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR", scale: Scale, patchSize: 23, stride: 23))
    .AppendCacheCheckpoint(sr)
    .Append(sr.Transforms.SuperResolve(new SuperResolutionEstimator.Options
    {
        OutputColumnName = "SR",
        InputColumnName = "LR",
        LabelColumnName = "HR",
        TrainingInputColumnName = "LRPatch",
        TrainingLabelColumnName = "HRPatch",
        ModelName = "rsrnet-sr",
        Scale = Scale,
        MaxSteps = steps,
        // Deviation (CPU): batch 32 instead of the paper's 256, so a few minutes make a few hundred steps, not a dozen.
        BatchSize = 32,
        MaxDuration = TimeSpan.FromMinutes(minutes),
        Progress = new Progress<TrainingProgress>(p =>
        {
            if (p.Event is "train" or "done")
                Console.Write($"\rstep {p.Step,7}  loss {p.Loss:F5}  {p.StepsPerSecond:F1} steps/s  {p.Elapsed:mm\\:ss}   ");
        }),
        CancellationToken = cancel.Token,
    }));

var t91 = sr.Data.LoadImages(Path.Combine(data, "T91"));
Console.WriteLine($"training rsrnet-sr ×{Scale} on T91 patches for at most {minutes} min ({threads} threads)");
using var model = pipeline.Fit(t91);
Console.WriteLine();

var zip = Path.Combine(outDir, "model.zip");
sr.Model.Save(model, t91.Schema, zip);
Console.WriteLine($"saved {zip} ({new FileInfo(zip).Length:N0} bytes)");

var fresh = new SrContext(seed: 1);
using var loaded = (TransformerChain<ITransformer>)fresh.Model.Load(zip, out _);

var table = SuperResolutionMetrics.NewTable();
foreach (var name in new[] { "Set5", "Set14" })
{
    var images = fresh.Data.LoadImages(Path.Combine(data, name));
    var metrics = fresh.SuperResolution.Evaluate(loaded.Transform(images), "HR", "SR", Scale, dataset: name, method: "rsrnet-sr (pipeline)");
    metrics.AppendTo(table);
    Console.WriteLine(metrics);
    if (name == "Set5")
    {
        bool same = SameOutputs(model.Transform(images), loaded.Transform(images));
        Console.WriteLine($"fitted vs reloaded model on Set5: {(same ? "bit-identical" : "DIFFERENT")}");
        if (!same) return 1;
    }
}
Console.WriteLine();
Console.WriteLine(table);
table.SaveCsv(Path.Combine(outDir, "metrics.csv"));
Console.WriteLine($"wrote {Path.Combine(outDir, "metrics.csv")}");
return 0;

static bool SameOutputs(IDataView a, IDataView b)
{
    using var ca = a.GetRowCursor([a.Schema["SR"]]);
    using var cb = b.GetRowCursor([b.Schema["SR"]]);
    var ga = ca.GetGetter<SrImage>(a.Schema["SR"]);
    var gb = cb.GetGetter<SrImage>(b.Schema["SR"]);
    SrImage x = null!, y = null!;
    while (ca.MoveNext())
    {
        if (!cb.MoveNext()) return false;
        ga(ref x);
        gb(ref y);
        if (!x.Pixels.shape.SequenceEqual(y.Pixels.shape) || !x.Pixels.eq(y.Pixels).all().item<bool>()) return false;
    }
    return !cb.MoveNext();
}

static string DataRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) dir = dir.Parent;
    var root = dir is null ? Path.GetFullPath("../shared/data") : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
    if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: the shared data folder (Set5, Set14, T91) is missing.");
    return root;
}
