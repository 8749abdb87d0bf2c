// RSRNet's SRNet (registry "rsrnet-sr", on bicubic LR) trained ×3 on T91 through a real ML.NET pipeline (Microsoft.ML 5), saved as
// a genuine ML.NET model zip, reloaded in a fresh MLContext and evaluated on Set5 and Set14.
//   dotnet run --project samples/PipelineExperiment -c Release -- --out <dir> [--minutes m] [--steps n]
// writes <dir>/model.zip and <dir>/metrics.csv (per-image rows and a mean row per dataset, invariant culture).
using System.Globalization;
using Microsoft.ML;
using Sr.MLNet;
using Sr.Models.Training;

string? outDir = null;
double minutes = 3;
long? steps = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--out": outDir = Next(); break;
        case "--minutes": minutes = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--steps": steps = long.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'\nusage: PipelineExperiment --out <dir> [--minutes m] [--steps n]");
            return 2;
    }
}
if (outDir is null || minutes <= 0)
{
    Console.Error.WriteLine("usage: PipelineExperiment --out <dir> [--minutes m] [--steps n]   (m > 0)");
    return 2;
}

var data = DataRoot();
Directory.CreateDirectory(outDir);
const int Scale = 3;
var ml = new MLContext(seed: 1);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

// ML.NET loads the files; SrMlNet takes Y as the evaluation protocol does (MATLAB rgb2ycbcr, rounded), mod-crops, and makes the
// LR with MATLAB bicubic ×3. SuperResolve's Fit trains on random aligned patches of those (LR, HR) rows.
var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "Path")
    .Append(ml.Transforms.ConvertToYCbCr("Y", "Image"))
    .Append(ml.Transforms.ModCrop("HR", "Y", scale: Scale))
    .Append(ml.Transforms.Degrade("LR", "HR", scale: Scale))
    .Append(ml.Transforms.SuperResolve(new SuperResolveOptions
    {
        OutputColumnName = "SR",
        InputColumnName = "LR",
        LabelColumnName = "HR",
        Model = "rsrnet-sr",
        Scale = Scale,
        MaxSteps = steps,
        // Deviation (CPU): batch 32 instead of the paper's 256, so a few minutes make a few hundred steps, not a dozen.
        BatchSize = 32,
        // The paper's non-overlapping 69-px HR sub-images at ×3.
        HrPatchSize = 69,
        MaxDuration = TimeSpan.FromMinutes(minutes),
        Progress = new Progress<TrainingProgress>(p =>
        {
            if (p.Event is "train" or "done")
                Console.Write($"\rstep {p.Step,7}  loss {p.Loss:F5}  {p.StepsPerSecond:F1} steps/s  {p.Elapsed:mm\\:ss}   ");
        }),
        CancellationToken = cancel.Token,
    }));

var t91 = ImageFiles.Load(ml, Path.Combine(data, "T91"));
Console.WriteLine($"training rsrnet-sr ×{Scale} on T91 for at most {minutes} min{(steps is null ? "" : $" or {steps} steps")}");
var model = pipeline.Fit(t91);
Console.WriteLine();

var zip = Path.Combine(outDir, "model.zip");
ml.Model.Save(model, t91.Schema, zip);
Console.WriteLine($"saved {zip} ({new FileInfo(zip).Length:N0} bytes)");

// A fresh context, as another process would: register SrMlNet's components, then ML.NET's own loader.
var fresh = new MLContext(seed: 1);
fresh.ComponentCatalog.RegisterAssembly(typeof(SrImage).Assembly);
var loaded = fresh.Model.Load(zip, out _);

var csv = new List<string>();
foreach (var name in new[] { "Set5", "Set14" })
{
    var images = ImageFiles.Load(fresh, Path.Combine(data, name));
    var metrics = fresh.SuperResolution().Evaluate(loaded.Transform(images), "HR", "SR", Scale, dataset: name, method: "rsrnet-sr (ML.NET pipeline)");
    Console.WriteLine(metrics);
    var lines = metrics.Report.ToCsv().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r'));
    csv.AddRange(csv.Count == 0 ? lines : lines.Skip(1));
    if (name == "Set5")
    {
        bool same = SameOutputs(model.Transform(images), loaded.Transform(images));
        Console.WriteLine($"fitted vs reloaded model on Set5: {(same ? "bit-identical" : "DIFFERENT")}");
        if (!same) return 1;
    }
}
var csvPath = Path.Combine(outDir, "metrics.csv");
var temp = csvPath + $".{Environment.ProcessId}.tmp";
File.WriteAllLines(temp, csv);
File.Move(temp, csvPath, overwrite: true);
Console.WriteLine($"wrote {csvPath}");
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
        if (x.Height != y.Height || x.Width != y.Width || !x.Pixels.AsSpan().SequenceEqual(y.Pixels)) return false;
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
