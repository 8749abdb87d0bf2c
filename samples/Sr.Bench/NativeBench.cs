using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Bench;

/// <summary>
/// The binding's cost over libtorch called directly from C++, on the same work: per-call time of a tiny op
/// (<c>a.add(a)</c> on a 1-element tensor, result disposed each time) and throughput of a 64→64 3×3 convolution on
/// 1×64×128×128 in channels-last. Two references:
/// <list type="bullet">
/// <item>the separate C++ program native/bench/direct_bench.cpp, run in rounds alternating with the .NET loops; each
/// side reports its best chunk (1000 tiny calls, or one conv: the figure least disturbed by other processes) and its
/// mean;</item>
/// <item>the same C++ loops built as a library (native/bench/direct_lib.cpp) loaded into this process, alternating with
/// the .NET loops every few milliseconds: on a shared, loaded machine both then see the same load, and the median of
/// the paired differences (tiny op) and ratios (conv) is the figure that holds. The targets are judged on it.</item>
/// </list>
/// </summary>
public sealed unsafe class NativeBench : IBenchmark
{
    public string Name => "native";

    public string Description => "Sr.Torch vs libtorch from C++: tiny-op overhead, 64→64 3×3 conv (channels-last)";

    private sealed record Options(int Threads = 2, int TinyIters = 200_000, int ConvIters = 40, int Rounds = 3, int TinyPairs = 300, int ConvPairs = 40);

    public int Run(string[] args, TextWriter output)
    {
        var o = Parse(args);
        var build = EnsureDirectBuilds();
        set_num_threads(o.Threads);
        double gflop = 2.0 * 64 * 64 * 9 * 128 * 128 / 1e9;
        output.WriteLine($"libtorch {version}, {o.Threads} threads, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        // 1. The separate program, alternating with .NET rounds.
        var direct = new List<Timing>();
        var binding = new List<(Timing Plain, Timing Scoped)>();
        for (int r = 0; r < o.Rounds; r++)
        {
            direct.Add(RunDirect(Path.Combine(build, "srnative_bench"), o));
            binding.Add(RunBinding(o));
        }
        var c = Timing.Best(direct);
        var n = Timing.Best(binding.Select(b => b.Plain));
        var s = Timing.Best(binding.Select(b => b.Scoped));

        // 2. The same C++ loops in this process, paired with .NET chunks (order swapped every pair to cancel drift).
        var lib = NativeLibrary.Load(Path.Combine(build, "libsrnative_direct.so"));
        var tinyCpp = (delegate* unmanaged<int, double>)NativeLibrary.GetExport(lib, "srbench_tiny_us");
        var convCpp = (delegate* unmanaged<int, double>)NativeLibrary.GetExport(lib, "srbench_conv_ms");
        var (tinyPairs, convPairs) = RunPaired(o, tinyCpp, convCpp);
        double tinyDiff = BenchStats.Median(tinyPairs.Select(p => p.Net - p.Cpp));
        double convRatio = BenchStats.Median(convPairs.Select(p => p.Cpp / p.Net));

        output.WriteLine();
        output.WriteLine("| measure | libtorch from C++ | Sr.Torch (.NET) | binding vs C++ | target |");
        output.WriteLine("|---|---:|---:|---:|---|");
        output.WriteLine(Inv($"| tiny op `a.add(a)`, 1 element, result disposed; separate C++ program, best chunk of 1000 (mean) | {c.TinyBestUs:F3} µs ({c.TinyMeanUs:F3}) | {n.TinyBestUs:F3} µs ({n.TinyMeanUs:F3}) | {n.TinyBestUs - c.TinyBestUs:+0.000;-0.000} µs | |"));
        output.WriteLine(Inv($"| same, in one process, median of {tinyPairs.Count} paired chunks of 1000 calls | {BenchStats.Median(tinyPairs.Select(p => p.Cpp)):F3} µs | {BenchStats.Median(tinyPairs.Select(p => p.Net)):F3} µs | {tinyDiff:+0.000;-0.000} µs | ≤ +2 µs: {(tinyDiff <= 2 ? "met" : "MISSED")} |"));
        output.WriteLine(Inv($"| same, .NET results disposed by a `DisposeScope` every 100 calls; best chunk (mean) | {c.TinyBestUs:F3} µs ({c.TinyMeanUs:F3}) | {s.TinyBestUs:F3} µs ({s.TinyMeanUs:F3}) | {s.TinyBestUs - c.TinyBestUs:+0.000;-0.000} µs | |"));
        output.WriteLine(Inv($"| conv2d 64→64 3×3, 1×64×128×128 channels-last, {o.Threads} threads; separate C++ program, best call (mean) | {c.ConvBestMs:F2} ms = {gflop / c.ConvBestMs * 1e3:F0} GFLOP/s ({c.ConvMeanMs:F2} ms) | {n.ConvBestMs:F2} ms = {gflop / n.ConvBestMs * 1e3:F0} GFLOP/s ({n.ConvMeanMs:F2} ms) | {c.ConvBestMs / n.ConvBestMs:F3}× | |"));
        output.WriteLine(Inv($"| same, in one process, median of {convPairs.Count} paired pairs of calls | {BenchStats.Median(convPairs.Select(p => p.Cpp)):F2} ms = {gflop / BenchStats.Median(convPairs.Select(p => p.Cpp)) * 1e3:F0} GFLOP/s | {BenchStats.Median(convPairs.Select(p => p.Net)):F2} ms = {gflop / BenchStats.Median(convPairs.Select(p => p.Net)) * 1e3:F0} GFLOP/s | {convRatio:F3}× throughput | ≥ 0.97×: {(convRatio >= 0.97 ? "met" : "MISSED")} |"));
        output.WriteLine();
        output.WriteLine("separate-program rounds, best (mean): C++ tiny µs | .NET tiny µs | .NET scoped µs | C++ conv ms | .NET conv ms");
        for (int r = 0; r < o.Rounds; r++)
        {
            var (d, (p, q)) = (direct[r], binding[r]);
            output.WriteLine(Inv($"  {r + 1}: {d.TinyBestUs:F3} ({d.TinyMeanUs:F3}) | {p.TinyBestUs:F3} ({p.TinyMeanUs:F3}) | {q.TinyBestUs:F3} ({q.TinyMeanUs:F3}) | {d.ConvBestMs:F2} ({d.ConvMeanMs:F2}) | {p.ConvBestMs:F2} ({p.ConvMeanMs:F2})"));
        }
        output.WriteLine(Inv($"paired conv ratios (C++ time / .NET time), quartiles: {BenchStats.Quantile(convPairs.Select(p => p.Cpp / p.Net), 0.25):F3} / {convRatio:F3} / {BenchStats.Quantile(convPairs.Select(p => p.Cpp / p.Net), 0.75):F3}"));
        output.WriteLine(Inv($"paired tiny differences (.NET − C++ µs), quartiles: {BenchStats.Quantile(tinyPairs.Select(p => p.Net - p.Cpp), 0.25):F3} / {tinyDiff:F3} / {BenchStats.Quantile(tinyPairs.Select(p => p.Net - p.Cpp), 0.75):F3}"));
        return 0;
    }

    private static (List<(double Cpp, double Net)> Tiny, List<(double Cpp, double Net)> Conv) RunPaired(
        Options o, delegate* unmanaged<int, double> tinyCpp, delegate* unmanaged<int, double> convCpp)
    {
        using var _ = no_grad();
        using var a = ones(1);
        using var x0 = randn(1, 64, 128, 128);
        using var w0 = randn(64, 64, 3, 3);
        using var b = randn(64);
        using var x = x0.contiguous(MemoryFormat.ChannelsLast);
        using var w = w0.contiguous(MemoryFormat.ChannelsLast);
        var sw = new Stopwatch();
        double NetTiny()
        {
            sw.Restart();
            for (int i = 0; i < Chunk; i++) a.add(a).Dispose();
            return sw.Elapsed.TotalMicroseconds / Chunk;
        }
        double NetConv()
        {
            sw.Restart();
            for (int i = 0; i < 2; i++) F.conv2d(x, w, b, padding: 1).Dispose();
            return sw.Elapsed.TotalMilliseconds / 2;
        }
        for (int i = 0; i < 20; i++) { NetTiny(); tinyCpp(Chunk); }
        for (int i = 0; i < 2; i++) { NetConv(); convCpp(2); }
        var tiny = new List<(double, double)>();
        for (int i = 0; i < o.TinyPairs; i++)
            tiny.Add(i % 2 == 0 ? (tinyCpp(Chunk), NetTiny()) : Swap(NetTiny(), tinyCpp(Chunk)));
        var conv = new List<(double, double)>();
        for (int i = 0; i < o.ConvPairs; i++)
            conv.Add(i % 2 == 0 ? (convCpp(2), NetConv()) : Swap(NetConv(), convCpp(2)));
        return (tiny, conv);
    }

    private static (double Cpp, double Net) Swap(double net, double cpp) => (cpp, net);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private sealed record Timing(double TinyBestUs, double TinyMeanUs, double ConvBestMs, double ConvMeanMs)
    {
        public static Timing Best(IEnumerable<Timing> rounds)
        {
            var r = rounds.ToList();
            return new(r.Min(t => t.TinyBestUs), r.Average(t => t.TinyMeanUs), r.Min(t => t.ConvBestMs), r.Average(t => t.ConvMeanMs));
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], out var v) && v > 0
                ? v : throw new ArgumentException($"{args[i - 1]} needs a positive integer");
            o = args[i] switch
            {
                "--threads" => o with { Threads = Next() },
                "--tiny-iters" => o with { TinyIters = Next() },
                "--conv-iters" => o with { ConvIters = Next() },
                "--rounds" => o with { Rounds = Next() },
                "--tiny-pairs" => o with { TinyPairs = Next() },
                "--conv-pairs" => o with { ConvPairs = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]} (options: --threads N --tiny-iters N --conv-iters N --rounds N --tiny-pairs N --conv-pairs N)"),
            };
        }
        return o;
    }

    // ---- .NET side: the loops of native/bench/direct_bench.cpp --------------------------------------------------------
    private const int Chunk = 1000;

    private static (Timing Plain, Timing Scoped) RunBinding(Options o)
    {
        using var _ = no_grad();
        using var a = ones(1);
        for (int i = 0; i < 1000; i++) a.add(a).Dispose();
        double total = 0, best = double.MaxValue;
        var sw = new Stopwatch();
        int done = 0;
        for (; done < o.TinyIters; done += Chunk)
        {
            sw.Restart();
            for (int i = 0; i < Chunk; i++)
            {
                var r = a.add(a);
                r.Dispose();
            }
            double us = sw.Elapsed.TotalMicroseconds;
            total += us;
            best = Math.Min(best, us / Chunk);
        }
        double tinyMean = total / done;

        // The way a training or inference loop owns its temporaries: a scope disposes them in bulk.
        double sTotal = 0, sBest = double.MaxValue;
        for (int d = 0; d < o.TinyIters; d += Chunk)
        {
            sw.Restart();
            for (int k = 0; k < Chunk; k += 100)
            {
                using var scope = NewDisposeScope();
                for (int j = 0; j < 100; j++) a.add(a);
            }
            double us = sw.Elapsed.TotalMicroseconds;
            sTotal += us;
            sBest = Math.Min(sBest, us / Chunk);
        }

        using var x0 = randn(1, 64, 128, 128);
        using var w0 = randn(64, 64, 3, 3);
        using var b = randn(64);
        using var x = x0.contiguous(MemoryFormat.ChannelsLast);
        using var w = w0.contiguous(MemoryFormat.ChannelsLast);
        for (int i = 0; i < 5; i++) F.conv2d(x, w, b, padding: 1).Dispose();
        double cTotal = 0, cBest = double.MaxValue;
        for (int i = 0; i < o.ConvIters; i++)
        {
            sw.Restart();
            F.conv2d(x, w, b, padding: 1).Dispose();
            double ms = sw.Elapsed.TotalMilliseconds;
            cTotal += ms;
            cBest = Math.Min(cBest, ms);
        }
        double convMean = cTotal / o.ConvIters;
        return (new Timing(best, tinyMean, cBest, convMean), new Timing(sBest, sTotal / done, cBest, convMean));
    }

    // ---- C++ side ----------------------------------------------------------------------------------------------------
    private static Timing RunDirect(string exe, Options o)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { o.Threads, o.TinyIters, o.ConvIters }) psi.ArgumentList.Add(a.ToString(CultureInfo.InvariantCulture));
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        var errTask = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed ({p.ExitCode}): {errTask.Result}");
        var line = stdout.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        return new Timing(r.GetProperty("tiny_op_best_us").GetDouble(), r.GetProperty("tiny_op_us").GetDouble(),
            r.GetProperty("conv_best_ms").GetDouble(), r.GetProperty("conv_ms").GetDouble());
    }

    /// <summary>Builds native/build/srnative_bench and libsrnative_direct.so incrementally (CMake; native/build.sh configures the folder first); returns the build folder.</summary>
    private static string EnsureDirectBuilds()
    {
        var native = Path.Combine(BenchPaths.RepoRoot(), "native");
        var build = Environment.GetEnvironmentVariable("SRNATIVE_BUILD_DIR") ?? Path.Combine(native, "build");
        if (!File.Exists(Path.Combine(build, "CMakeCache.txt"))) Exec("bash", [Path.Combine(native, "build.sh")]);
        Exec("cmake", ["--build", build, "--target", "srnative_bench", "srnative_direct"]);
        foreach (var f in new[] { "srnative_bench", "libsrnative_direct.so" })
            if (!File.Exists(Path.Combine(build, f))) throw new InvalidOperationException($"{Path.Combine(build, f)} was not built");
        return build;
    }

    private static void Exec(string file, string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var errTask = p.StandardError.ReadToEndAsync();
        var outText = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {outText}{errTask.Result}");
    }
}
