using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using Sr.Torch.Serialization;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Bench;

/// <summary>
/// `networks`: per registered network, the inference time on one LR input and the time of one training step (Adam,
/// batch of LR/HR patches, forward + loss + backward + step), SrMlNet against two PyTorch peers running the same network
/// with SrMlNet's own weights (samples/Sr.Bench/bench_networks_pytorch.py on Debian's python3-torch, the same libtorch):
/// <list type="bullet">
/// <item>untuned: NCHW, OpenBLAS with its own thread pool on top of libtorch's threads (OPENBLAS_NUM_THREADS unset);</item>
/// <item>tuned: what a user who cares picks: the same thread count, OPENBLAS_NUM_THREADS=1, model and inputs channels-last,
/// inference under torch.inference_mode(), the same Adam and loss in training.</item>
/// </list>
/// Before timing, each peer checks the parameter count, the state-dict keys and shapes, the output on the timed input,
/// the first training step's loss and its gradient norm against SrMlNet's; a mismatch stops the benchmark (exit 1).
/// Interleaved network by network, round by round, in one run; GFLOP/s from the convolutions' FLOPs (counted by the
/// PyTorch peer on the same network) against the 2-thread conv roofline (64→64 3×3 channels-last, DESIGN.md).
/// </summary>
public sealed class NetworksBench : IBenchmark
{
    /// <summary>The networks bench_networks_pytorch.py also implements.</summary>
    private static readonly string[] ReferenceModels = ["btsrn", "rsrnet", "rsrnet-sr", "glrl", "lsp", "lsp-hsp", "srcnn", "vdsr"];

    /// <summary>GFLOP/s of a tuned 64→64 3×3 convolution on 2 threads here (DESIGN.md, `sr bench native`).</summary>
    private const double DefaultRooflineGflops = 224;

    private const string Usage = """
        usage: ./sr bench networks [options]
          --threads N     threads on every side (2)
          --size S        LR edge of the inference input, 1×C×S×S (256)
          --scale s       ×s (2)
          --batch B       training batch (16)
          --patch P       HR edge of the training patches (48)
          --repeats R     timed inferences per side and round after a warm-up; the median is reported (2)
          --steps K       timed training steps per side and round after a warm-up; the median is reported (3)
          --rounds Q      SrMlNet, untuned PyTorch, tuned PyTorch measured Q times in turn; the median over rounds (1)
          --models a,b    networks (btsrn,rsrnet,rsrnet-sr,glrl,lsp,lsp-hsp,srcnn,vdsr)
          --python PATH   interpreter with Debian's python3-torch (/usr/bin/python3); "none" skips both PyTorch columns
          --peers LIST    untuned,tuned (both) or one of them
          --roofline G    GFLOP/s of the 2-thread 64→64 3×3 channels-last conv here (224)
        Prints the date, the load average before and after, the configuration and, per network, the median times,
        speed-ups (PyTorch time ÷ SrMlNet time: > 1 = SrMlNet faster), conv GFLOP/s and the peers' agreement with SrMlNet.
        """;

    public string Name => "networks";

    public string Description => "inference and training step per network vs the same network in PyTorch, untuned and tuned (channels-last)";

    public int Run(string[] args, TextWriter output)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            output.Write(Usage);
            return 0;
        }
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int Int(string name, string fallback) => int.Parse(Arg(name, fallback), CultureInfo.InvariantCulture);
        int threads = Int("--threads", "2"), size = Int("--size", "256"), scale = Int("--scale", "2"), batch = Int("--batch", "16");
        int patch = Int("--patch", "48"), repeats = Int("--repeats", "2"), steps = Int("--steps", "3"), rounds = Math.Max(1, Int("--rounds", "1"));
        double roofline = double.Parse(Arg("--roofline", DefaultRooflineGflops.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        string python = Arg("--python", "/usr/bin/python3");
        var only = Arg("--models", string.Join(',', ReferenceModels)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var unknown = only.Where(m => !ReferenceModels.Contains(m)).ToArray();
        if (unknown.Length > 0)
        {
            output.WriteLine($"networks: no PyTorch peer for {string.Join(", ", unknown)}; the networks are {string.Join(",", ReferenceModels)}.");
            return 2;
        }
        var peers = Arg("--peers", "untuned,tuned").Split(',', StringSplitOptions.RemoveEmptyEntries);
        string script = Path.Combine(BenchPaths.RepoRoot(), "samples", "Sr.Bench", "bench_networks_pytorch.py");

        set_num_threads(threads);
        output.WriteLine($"sr bench networks {string.Join(' ', args)}");
        output.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, load average at start {LoadAverage()}");
        output.WriteLine($"×{scale}; inference on 1×C×{size}×{size} LR (median of {repeats} after a warm-up); training step on batch {batch} of {patch}×{patch} HR " +
                         $"(median of {steps} after a warm-up); {threads} threads on every side; median of {rounds} round(s), sides in turn within each");
        string? torchVersion = python == "none" ? null : ProbePython(python, output);
        output.WriteLine($"SrMlNet: libtorch {version} through the shim, NCHW, OpenBLAS 1 thread (the shim's), caching allocator {Environment.GetEnvironmentVariable("SR_MALLOC") ?? "on"}");
        if (torchVersion is not null)
            output.WriteLine($"PyTorch {torchVersion} ({python}): untuned = NCHW, OPENBLAS_NUM_THREADS unset; tuned = channels-last model and inputs, OPENBLAS_NUM_THREADS=1, " +
                             "inference_mode; both torch.set_num_threads(" + threads + "), glibc malloc, SrMlNet's weights");
        else peers = [];
        output.WriteLine();

        var rows = new List<Row>();
        string work = Path.Combine(Path.GetTempPath(), $"sr-bench-networks-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            foreach (var info in ModelRegistry.All)
            {
                if (!only.Contains(info.Name)) continue;
                manual_seed(1);
                using var net = info.Create(scale, null);
                using var scope = NewDisposeScope();
                var data = ReferenceData(net, size, batch, patch);
                string weights = Path.Combine(work, info.Name + ".weights.safetensors"), dataFile = Path.Combine(work, info.Name + ".data.safetensors");
                Safetensors.SaveStateDict(weights, net.state_dict());
                Safetensors.SaveStateDict(dataFile, data);
                var row = new Row(info.Name, net.ParameterCount());
                for (int round = 0; round < rounds; round++)
                {
                    row.Ours.Add((TimeInference(net, data["input"], repeats), TrainStepSeconds(net, data, steps)));
                    foreach (var peer in peers)
                    {
                        var r = RunPython(python, script, info.Name, peer, weights, dataFile, net.ParameterCount(), threads, scale, repeats, steps);
                        if (r.Error is not null)
                        {
                            output.WriteLine($"networks: FAILED: the {peer} PyTorch peer of {info.Name}: {r.Error}");
                            return 1;
                        }
                        if (!row.Peers.TryGetValue(peer, out var list)) row.Peers[peer] = list = [];
                        list.Add(r.Result!);
                    }
                }
                rows.Add(row);
                Console.Error.WriteLine($"networks: {info.Name} done ({DateTime.UtcNow:HH:mm:ss}, load {LoadAverage()})");
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }

        string F1(double? v) => v is double d ? d.ToString(d >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) : "n/a";
        string X(double? v) => v is double d ? d.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "n/a";
        string G(double? flops, double? seconds) =>
            flops is double f && seconds is double s && f > 0 ? $"{f / s / 1e9:0.0} ({100 * f / s / 1e9 / roofline:0}%)" : "n/a";
        foreach (bool training in new[] { false, true })
        {
            output.WriteLine(training
                ? $"Training step (ms, median; conv GFLOP per step: forward + weight and input gradients; GFLOP/s in % of {roofline:0}):"
                : $"Inference (ms, median; conv GFLOP of one forward; GFLOP/s in % of {roofline:0}):");
            output.WriteLine();
            output.WriteLine("| network | params | conv GFLOP | SrMlNet ms | PyTorch untuned ms | PyTorch tuned ms | speed-up vs untuned | speed-up vs tuned | SrMlNet GFLOP/s | tuned GFLOP/s |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                double ours = BenchStats.Median(row.Ours.Select(o => training ? o.train : o.infer));
                double? Peer(string p) => row.Peers.TryGetValue(p, out var l) ? BenchStats.Median(l.Select(r => training ? r.TrainSeconds : r.InferSeconds)) : null;
                double? untuned = Peer("untuned"), tuned = Peer("tuned");
                double? flops = row.Peers.Values.SelectMany(l => l).Select(r => (double?)(training ? r.TrainFlops : r.InferFlops)).FirstOrDefault();
                output.WriteLine($"| {row.Name} | {row.Params:N0} | {(flops is double f ? (f / 1e9).ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} | " +
                                 $"{F1(ours * 1e3)} | {F1(untuned * 1e3)} | {F1(tuned * 1e3)} | {X(untuned / ours)} | {X(tuned / ours)} | {G(flops, ours)} | {G(flops, tuned)} |");
            }
            output.WriteLine();
        }
        if (rows.Any(r => r.Peers.Count > 0))
        {
            output.WriteLine("Agreement with SrMlNet before timing (max |Δ| / max(1, max |SrMlNet|), worst over rounds; tolerance 1e-4, gradient norm 1e-3):");
            output.WriteLine();
            output.WriteLine("| network | peer | output | first-step loss | gradient norm |");
            output.WriteLine("|---|---|---:|---:|---:|");
            foreach (var row in rows)
                foreach (var (peer, list) in row.Peers)
                    output.WriteLine($"| {row.Name} | {peer} | {list.Max(r => r.OutputError):0.0e0} | {list.Max(r => r.LossError):0.0e0} | {list.Max(r => r.GradError):0.0e0} |");
            output.WriteLine();
        }
        output.WriteLine($"load average at end {LoadAverage()}, {DateTime.UtcNow:HH:mm} UTC");
        return 0;
    }

    private sealed record Row(string Name, long Params)
    {
        public List<(double infer, double train)> Ours { get; } = [];
        public Dictionary<string, List<PeerResult>> Peers { get; } = [];
    }

    private sealed record PeerResult(double InferSeconds, double TrainSeconds, double InferFlops, double TrainFlops, double OutputError, double LossError, double GradError);

    /// <summary>
    /// The tensors both sides work on, and SrMlNet's results on them with the initial weights (for the peers' check):
    /// input (1×C×S×S) and output; the training batch hr, lr = avg_pool(hr), boundary = edges of hr; the first step's loss
    /// and the gradient norm over all parameters. Leaves the network's gradients at zero and its weights unchanged.
    /// </summary>
    private static Dictionary<string, Tensor> ReferenceData(SrNetwork net, int size, int batch, int patch)
    {
        var input = rand(1, net.Channels, size, size);
        Tensor output;
        net.eval();
        using (inference_mode()) output = net.call(input);
        var hr = rand(batch, net.Channels, patch, patch);
        var lr = F.avg_pool2d(hr, net.Scale);
        var boundary = BoundaryMaps.FromEdges(hr);
        net.train();
        foreach (var p in net.parameters()) p.grad?.zero_();
        var loss = Loss(net, hr, lr, boundary);
        loss.backward();
        double sumSquares = 0;
        foreach (var p in net.parameters())
        {
            using var g = p.grad;
            if (g is null) continue;
            using var s = g.to(ScalarType.Float64).square().sum();
            sumSquares += s.ToDouble();
            g.zero_();
        }
        return new Dictionary<string, Tensor>
        {
            ["input"] = input, ["output"] = output, ["hr"] = hr, ["lr"] = lr, ["boundary"] = boundary,
            ["loss"] = loss.detach().reshape(1), ["grad_norm"] = tensor(new[] { (float)Math.Sqrt(sumSquares) }, [1]),
        };
    }

    private static double TimeInference(SrNetwork net, Tensor lr, int repeats)
    {
        net.eval();
        using var mode = inference_mode();
        net.call(lr).Dispose();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            net.call(lr).Dispose();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        return BenchStats.Median(times);
    }

    /// <summary>The step each paper trains with: L1 HR→HR for RSRNet, MSE on image + boundary for LSP/HSP, else MSE of net(LR) against HR.</summary>
    private static Tensor Loss(SrNetwork net, Tensor hr, Tensor lr, Tensor boundary) => net switch
    {
        IReducingNetwork r => F.l1_loss(r.ReduceAndSuperResolve(hr), hr),
        IBoundaryNetwork b => BoundaryLoss(b, lr, hr, boundary),
        _ => F.mse_loss(net.call(lr), hr),
    };

    /// <summary>Median seconds of one training step (zero_grad, forward, loss, backward, Adam step) over <paramref name="steps"/> after a warm-up step.</summary>
    private static double TrainStepSeconds(SrNetwork net, Dictionary<string, Tensor> data, int steps)
    {
        net.train();
        using var optimizer = optim.Adam(net.parameters(), 1e-4);
        Tensor hr = data["hr"], lr = data["lr"], boundary = data["boundary"];
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Loss(net, hr, lr, boundary).backward();
            optimizer.step();
        }
        Step();
        var times = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            Step();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        return BenchStats.Median(times);
    }

    private static Tensor BoundaryLoss(IBoundaryNetwork net, Tensor lr, Tensor hr, Tensor boundary)
    {
        var (image, b) = net.ForwardWithBoundary(lr);
        return F.mse_loss(image, hr) + F.mse_loss(b, boundary * net.BoundaryWeight);
    }

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }

    /// <summary>PyTorch's version through <paramref name="python"/>, or null with the reason and the install command.</summary>
    private static string? ProbePython(string python, TextWriter output)
    {
        var (code, stdout, stderr, failure) = Execute(python, ["-c", "import torch; print(torch.__version__)"], null);
        if (failure is null && code == 0) return stdout.Trim();
        string why = failure ?? stderr.Trim().Split('\n').LastOrDefault() ?? $"exit {code}";
        output.WriteLine($"PyTorch columns skipped: {python} cannot import torch ({why}). Install Debian's PyTorch: apt-get install -y python3-torch " +
                         "(or pass --python PATH; --python none skips the peers).");
        return null;
    }

    private static (PeerResult? Result, string? Error) RunPython(string python, string script, string model, string config, string weights, string data,
        long parameters, int threads, int scale, int repeats, int steps)
    {
        string[] args = [script, "--model", model, "--config", config, "--weights", weights, "--data", data, "--params", $"{parameters}",
            "--threads", $"{threads}", "--scale", $"{scale}", "--repeats", $"{repeats}", "--steps", $"{steps}"];
        // The script sets or clears OPENBLAS_NUM_THREADS itself before loading torch; the environment says the same.
        var env = new Dictionary<string, string?> { ["OPENBLAS_NUM_THREADS"] = config == "tuned" ? "1" : null };
        var (code, stdout, stderr, failure) = Execute(python, args, env);
        if (failure is not null) return (null, failure);
        if (code != 0) return (null, $"exit {code}: {stderr.Trim().Split('\n').LastOrDefault()}");
        try
        {
            var j = JsonNode.Parse(stdout.Trim().Split('\n').Last())!.AsObject();
            double D(string k) => j[k]!.GetValue<double>();
            return (new PeerResult(D("infer_s"), D("train_step_s"), D("infer_conv_flops"), D("train_conv_flops"), D("output_error"), D("loss_error"), D("grad_error")), null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            return (null, $"unreadable result ({e.Message}): {stdout.Trim().Split('\n').LastOrDefault()}");
        }
    }

    private static (int Code, string Stdout, string Stderr, string? Failure) Execute(string file, string[] args, Dictionary<string, string?>? env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        try
        {
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result, null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (-1, "", "", $"{file} could not be started: {e.Message}");
        }
    }
}
