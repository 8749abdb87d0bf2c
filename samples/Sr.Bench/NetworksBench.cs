using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Bench;

/// <summary>
/// `networks`: per registered network, inference time on one 256×256 LR input and training steps per second
/// (Adam, batch of LR/HR patches, forward + loss + backward + step), SrMlNet against the same network written in
/// PyTorch (scripts/bench_networks_pytorch.py on Debian's python3-torch, the same libtorch), interleaved model by model
/// in one run, with the same thread count on both sides.
/// </summary>
/// <remarks>
/// Arguments: --threads N (2) --size S (256, LR edge) --scale s (2) --batch B (16) --patch P (48, HR edge)
/// --repeats R (2 timed inferences after a warm-up) --steps K (3 timed training steps after a warm-up) --rounds Q (1: measure
/// SrMlNet then PyTorch Q times, alternating, and report the median of each side, so that drifts of the machine hit both)
/// --models a,b (default: the networks of issue #4 that the PyTorch script also has; RRDBNet/SPSR are `bench spsr`) --python PATH (/usr/bin/python3; "none" skips the reference).
/// </remarks>
public sealed class NetworksBench : IBenchmark
{
    /// <summary>The networks scripts/bench_networks_pytorch.py also implements.</summary>
    private static readonly string[] ReferenceModels = ["btsrn", "rsrnet", "rsrnet-sr", "glrl", "lsp", "lsp-hsp", "srcnn", "vdsr"];

    public string Name => "networks";

    public string Description => "inference (256² LR) and training steps/s per network vs the same network in PyTorch";

    public int Run(string[] args, TextWriter output)
    {
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int threads = int.Parse(Arg("--threads", "2"), CultureInfo.InvariantCulture);
        int size = int.Parse(Arg("--size", "256"), CultureInfo.InvariantCulture);
        int scale = int.Parse(Arg("--scale", "2"), CultureInfo.InvariantCulture);
        int batch = int.Parse(Arg("--batch", "16"), CultureInfo.InvariantCulture);
        int patch = int.Parse(Arg("--patch", "48"), CultureInfo.InvariantCulture);
        int repeats = int.Parse(Arg("--repeats", "2"), CultureInfo.InvariantCulture);
        int steps = int.Parse(Arg("--steps", "3"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Arg("--rounds", "1"), CultureInfo.InvariantCulture);
        string python = Arg("--python", "/usr/bin/python3");
        var only = Arg("--models", string.Join(',', ReferenceModels)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        string script = Path.Combine(BenchPaths.RepoRoot(), "scripts", "bench_networks_pytorch.py");

        set_num_threads(threads);
        output.WriteLine($"networks: ×{scale}, inference on 1×C×{size}×{size} LR (median of {repeats} after a warm-up), training on batch {batch} of {patch}×{patch} HR " +
                         $"(mean of {steps} steps after a warm-up), threads {threads} on both sides; libtorch {version}" +
                         (rounds > 1 ? $"; median of {rounds} alternating rounds per side" : ""));
        output.WriteLine();
        output.WriteLine("| network | params | SrMlNet infer (s) | PyTorch infer (s) | speed-up | SrMlNet train (steps/s) | PyTorch train (steps/s) | speed-up |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var info in ModelRegistry.All)
        {
            if (!only.Contains(info.Name)) continue;
            manual_seed(1);
            using var net = info.Create(scale, null);
            var ours = new List<(double infer, double train)>();
            var theirs = new List<(double infer, double train)>();
            for (int round = 0; round < Math.Max(1, rounds); round++)
            {
                ours.Add((TimeInference(net, size, repeats), TrainStepsPerSecond(net, batch, patch, steps)));
                var reference = python == "none" ? null : RunPython(python, script, info.Name, threads, size, scale, batch, patch, repeats, steps, output);
                if (reference is not null) theirs.Add((reference["infer_s"]!.GetValue<double>(), reference["train_steps_per_s"]!.GetValue<double>()));
            }
            double infer = BenchStats.Median(ours.Select(o => o.infer)), train = BenchStats.Median(ours.Select(o => o.train));
            double? pyInfer = theirs.Count == 0 ? null : BenchStats.Median(theirs.Select(t => t.infer));
            double? pyTrain = theirs.Count == 0 ? null : BenchStats.Median(theirs.Select(t => t.train));
            string F3(double? v) => v is double d ? d.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
            string Ratio(double? v) => v is double d ? d.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "n/a";
            output.WriteLine($"| {info.Name} | {net.ParameterCount():N0} | {F3(infer)} | {F3(pyInfer)} | {Ratio(pyInfer / infer)} | {F3(train)} | {F3(pyTrain)} | {Ratio(train / pyTrain)} |");
            output.Flush();
        }
        return 0;
    }

    private static double TimeInference(SrNetwork net, int size, int repeats)
    {
        net.eval();
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var lr = rand(1, net.Channels, size, size);
        net.call(lr).Dispose();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            net.call(lr).Dispose();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>The step each paper trains with: L1 HR→HR for RSRNet, MSE on image + boundary for LSP/HSP, else the paper's loss on net(LR).</summary>
    private static double TrainStepsPerSecond(SrNetwork net, int batch, int patch, int steps)
    {
        net.train();
        using var optimizer = optim.Adam(net.parameters(), 1e-4);
        using var data = NewDisposeScope();
        var hr = rand(batch, net.Channels, patch, patch);
        var lr = F.avg_pool2d(hr, net.Scale);
        var boundary = BoundaryMaps.FromEdges(hr);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = net switch
            {
                IReducingNetwork r => F.l1_loss(r.ReduceAndSuperResolve(hr), hr),
                IBoundaryNetwork b => BoundaryLoss(b, lr, hr, boundary),
                _ => F.mse_loss(net.call(lr), hr),
            };
            loss.backward();
            optimizer.step();
        }
        Step();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        return steps / sw.Elapsed.TotalSeconds;
    }

    private static Tensor BoundaryLoss(IBoundaryNetwork net, Tensor lr, Tensor hr, Tensor boundary)
    {
        var (image, b) = net.ForwardWithBoundary(lr);
        return F.mse_loss(image, hr) + F.mse_loss(b, boundary * net.BoundaryWeight);
    }

    private static JsonObject? RunPython(string python, string script, string model, int threads, int size, int scale, int batch, int patch, int repeats, int steps, TextWriter output)
    {
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { script, "--model", model, "--threads", $"{threads}", "--size", $"{size}", "--scale", $"{scale}", "--batch", $"{batch}",
                     "--patch", $"{patch}", "--repeats", $"{repeats}", "--steps", $"{steps}" })
            psi.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                output.WriteLine($"<!-- PyTorch reference for {model} failed ({process.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()} -->");
                return null;
            }
            var last = stdout.Trim().Split('\n').Last();
            return JsonNode.Parse(last)!.AsObject();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or System.Text.Json.JsonException or InvalidOperationException)
        {
            output.WriteLine($"<!-- PyTorch reference for {model} unavailable: {e.Message} -->");
            return null;
        }
    }
}
