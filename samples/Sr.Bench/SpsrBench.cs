using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sr.Models.Losses;
using Sr.Models.Networks.Spsr;
using Sr.Models.Spsr;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Bench;

/// <summary>
/// SPSR (Ma et al., CVPR 2020 / TPAMI 2021). Modes:
///   spsr [--size 128] [--threads 2] [--runs 2]          ×4 inference, SrMlNet vs the same network in PyTorch (scripts/bench_spsr_pytorch.py), one run
///   spsr step [--steps 3] [--threads 2]                 paper-configuration SPSR-G training iteration at batch 1 (HR 128; random VGG19 weights)
///   spsr nse [--steps 200] [--batch 8] [--patch 96] [--tasks p,j] [--p-lr 1e-3] [--j-lr 1e-4]   NSE-P and NSE-J top-1 on held-out BSD100 patches after a fixed budget, vs chance
/// </summary>
public sealed class SpsrBench : IBenchmark
{
    public string Name => "spsr";

    public string Description => "SPSR ×4 inference vs PyTorch; `step`: paper-config training iteration; `nse`: NSE top-1 vs chance";

    public int Run(string[] args, TextWriter output)
    {
        string mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "infer";
        int Opt(string name, int fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        string Str(string name, string fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        double Dbl(string name, double fallback) => double.Parse(Str(name, fallback.ToString("R", CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        set_num_threads(Opt("threads", 2));
        return mode switch
        {
            "infer" => Inference(Opt("size", 128), Opt("runs", 2), Opt("threads", 2), output),
            "step" => TrainingStep(Opt("steps", 3), output),
            "nse" => Nse(Opt("steps", 200), Opt("batch", 8), Opt("patch", 96), Opt("eval-patch", 192), Str("tasks", "p,j"), Dbl("p-lr", 1e-3), Dbl("j-lr", 1e-4), output),
            _ => throw new ArgumentException($"Unknown spsr mode '{mode}' (infer, step, nse)."),
        };
    }

    private static int Inference(int size, int runs, int threads, TextWriter output)
    {
        manual_seed(1);
        using var net = new SpsrNet(4);
        net.eval();
        var times = new List<double>();
        using (inference_mode())
        using (var scope = NewDisposeScope())
        {
            var x = rand(1, 3, size, size);
            using (net.call(x)) { } // warm-up
            for (int r = 0; r < runs; r++)
            {
                var sw = Stopwatch.StartNew();
                using var y = net.call(x);
                times.Add(sw.Elapsed.TotalSeconds);
            }
        }
        var repo = BenchPaths.RepoRoot();
        var psi = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(repo, "scripts", "bench_spsr_pytorch.py"), "--size", size.ToString(CultureInfo.InvariantCulture),
            "--runs", runs.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture)])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        string? pyLine = null;
        double[] pyTimes = [];
        long pyParams = 0;
        try
        {
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            pyLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (p.ExitCode != 0 || pyLine is null) throw new InvalidOperationException($"bench_spsr_pytorch.py failed ({p.ExitCode}): {stderr}");
            using var doc = JsonDocument.Parse(pyLine);
            pyTimes = [.. doc.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble())];
            pyParams = doc.RootElement.GetProperty("params").GetInt64();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            output.WriteLine($"PyTorch reference unavailable: {e.Message}");
        }
        output.WriteLine($"SPSR ×4 inference, LR {size}×{size} → {4 * size}×{4 * size}, batch 1, {threads} threads, best of {runs} after one warm-up");
        output.WriteLine("| implementation | parameters | best s | all s |");
        output.WriteLine("|---|---|---|---|");
        output.WriteLine($"| SrMlNet (libtorch {version}) | {net.ParameterCount():N0} | {times.Min():F3} | {string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))} |");
        if (pyTimes.Length > 0)
        {
            output.WriteLine($"| PyTorch (python3-torch) | {pyParams:N0} | {pyTimes.Min():F3} | {string.Join(", ", pyTimes.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))} |");
            output.WriteLine($"ratio SrMlNet / PyTorch (best): {times.Min() / pyTimes.Min():F3}");
        }
        return 0;
    }

    private static int TrainingStep(int steps, TextWriter output)
    {
        manual_seed(1);
        using var g = new SpsrNet(4);
        using var vgg = new Vgg19FeatureExtractor(); // random weights: same work as the ImageNet ones
        var options = new SpsrOptions { BranchPretrain = false, BatchSize = 1 };
        using var trainer = new SpsrGanTrainer(options, g, vgg);
        var times = new List<double>();
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var hr = rand(1, 3, 128, 128);
            var lr = nn.functional.avg_pool2d(hr, 4);
            var sw = Stopwatch.StartNew();
            var l = trainer.Step(lr, hr);
            times.Add(sw.Elapsed.TotalSeconds);
            output.WriteLine($"iteration {l.Iteration}: {times[^1]:F2} s (G total {l.GeneratorTotal:G4}, D {l.ImageDiscriminator:G4}, D_grad {l.GradientDiscriminator:G4})");
        }
        output.WriteLine($"SPSR-G paper configuration (G 24,796,230 + 2 × D 14,502,281 parameters), batch 1, HR 128: " +
            $"{times.Skip(1).DefaultIfEmpty(times[0]).Average():F2} s per iteration (mean after the first; {get_num_threads()} threads)");
        return 0;
    }

    private static int Nse(int steps, int batch, int patch, int evalPatch, string tasks, double pLr, double jLr, TextWriter output)
    {
        var data = BenchPaths.SharedData();
        var train = StructureLearning.ReadFolder(Path.Combine(data, "BSD200"));
        var heldOut = StructureLearning.ReadFolder(Path.Combine(data, "BSD100"));
        output.WriteLine($"NSE training: {train.Count} BSD200 images, {steps} steps × batch {batch} × {patch}² patches; held out: {heldOut.Count} BSD100 images, {evalPatch}² patches");
        output.WriteLine("| extractor | task | lr | train s | top-1 held-out | chance | negatives / target |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        var runs = new List<StructureLearningOptions>();
        if (tasks.Contains('p', StringComparison.Ordinal)) runs.Add(new() { Task = StructureLearningTask.ContrastivePrediction, LearningRate = pLr, BatchSize = batch, PatchSize = patch, Steps = steps, SamplesPerMap = 16 });
        if (tasks.Contains('j', StringComparison.Ordinal)) runs.Add(new() { Task = StructureLearningTask.Jigsaw, LearningRate = jLr, BatchSize = batch, PatchSize = patch, Steps = steps, SamplesPerMap = 16 });
        foreach (var options in runs)
        {
            var sw = Stopwatch.StartNew();
            using var trained = StructureLearning.Train(train, options, new SyncProgress<StructureLearning.Progress>(p => Console.Error.WriteLine($"  {options.Task} step {p.Step}/{p.Steps}: loss {p.Loss:F4}, train top-1 {p.Accuracy:P1}")));
            double seconds = sw.Elapsed.TotalSeconds;
            var acc = StructureLearning.Evaluate(trained, heldOut, evalPatch, 8);
            output.WriteLine($"| nse-{(options.Task == StructureLearningTask.Jigsaw ? "j" : "p")} | {options.Task} | {options.LearningRate:G} | {seconds:F0} | {acc.Top1:P1} ({acc.Samples} samples) | {acc.Chance:P2} | {(options.Task == StructureLearningTask.Jigsaw ? "–" : acc.MeanNegatives.ToString("F0", CultureInfo.InvariantCulture))} |");
        }
        foreach (var t in train.Concat(heldOut)) t.Dispose();
        return 0;
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
