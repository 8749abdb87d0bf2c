using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Bench;

/// <summary>
/// The binding's cost over libtorch called directly from C++ (native/bench/direct_bench.cpp, the same work):
/// per-call time of a tiny op (<c>a.add(a)</c> on a 1-element tensor, result disposed each time) and throughput of a
/// 64→64 3×3 convolution on 1×64×128×128 in channels-last. Rounds alternate C++ and .NET so that both see the same
/// machine load. Each side reports its best chunk (1000 tiny calls, or one conv) — on a shared machine the figure least
/// disturbed by other processes — and its mean over every call.
/// </summary>
public sealed class NativeBench : IBenchmark
{
    public string Name => "native";

    public string Description => "Sr.Torch vs libtorch from C++: tiny-op overhead, 64→64 3×3 conv (channels-last)";

    private sealed record Options(int Threads = 2, int TinyIters = 200_000, int ConvIters = 60, int Rounds = 5);

    public int Run(string[] args, TextWriter output)
    {
        var o = Parse(args);
        var exe = EnsureDirectBench();
        set_num_threads(o.Threads);
        output.WriteLine($"libtorch {version}, {o.Threads} threads, {o.Rounds} rounds of {o.TinyIters:N0} tiny ops and {o.ConvIters} convs, C++ and .NET alternating");

        var direct = new List<Timing>();
        var binding = new List<(Timing Plain, Timing Scoped)>();
        for (int r = 0; r < o.Rounds; r++)
        {
            direct.Add(RunDirect(exe, o));
            binding.Add(RunBinding(o));
        }

        // Best = the least disturbed chunk over all rounds (tiny op: 1000 calls; conv: one call); mean = over every call.
        var c = Timing.Best(direct);
        var n = Timing.Best(binding.Select(b => b.Plain));
        var s = Timing.Best(binding.Select(b => b.Scoped));
        double gflop = 2.0 * 64 * 64 * 9 * 128 * 128 / 1e9;
        double overhead = n.TinyBestUs - c.TinyBestUs, ratio = c.ConvBestMs / n.ConvBestMs;

        output.WriteLine();
        output.WriteLine("| measure (best chunk; mean in brackets) | libtorch from C++ | Sr.Torch (.NET) | binding vs C++ | target |");
        output.WriteLine("|---|---:|---:|---:|---|");
        output.WriteLine(Inv($"| tiny op `a.add(a)`, 1 element, result disposed, per call | {c.TinyBestUs:F3} µs ({c.TinyMeanUs:F3}) | {n.TinyBestUs:F3} µs ({n.TinyMeanUs:F3}) | {overhead:+0.000;-0.000} µs | ≤ +2 µs: {(overhead <= 2 ? "met" : "MISSED")} |"));
        output.WriteLine(Inv($"| same, results disposed by a `DisposeScope` every 100 calls | {c.TinyBestUs:F3} µs ({c.TinyMeanUs:F3}) | {s.TinyBestUs:F3} µs ({s.TinyMeanUs:F3}) | {s.TinyBestUs - c.TinyBestUs:+0.000;-0.000} µs | |"));
        output.WriteLine(Inv($"| conv2d 64→64 3×3, 1×64×128×128 channels-last, {o.Threads} threads | {c.ConvBestMs:F2} ms = {gflop / c.ConvBestMs * 1e3:F0} GFLOP/s ({c.ConvMeanMs:F2} ms) | {n.ConvBestMs:F2} ms = {gflop / n.ConvBestMs * 1e3:F0} GFLOP/s ({n.ConvMeanMs:F2} ms) | {ratio:F3}× throughput | ≥ 0.97×: {(ratio >= 0.97 ? "met" : "MISSED")} |"));
        output.WriteLine();
        output.WriteLine("per round, best (mean): C++ tiny µs | .NET tiny µs | .NET scoped µs | C++ conv ms | .NET conv ms");
        for (int r = 0; r < o.Rounds; r++)
        {
            var (d, (p, q)) = (direct[r], binding[r]);
            output.WriteLine(Inv($"  {r + 1}: {d.TinyBestUs:F3} ({d.TinyMeanUs:F3}) | {p.TinyBestUs:F3} ({p.TinyMeanUs:F3}) | {q.TinyBestUs:F3} ({q.TinyMeanUs:F3}) | {d.ConvBestMs:F2} ({d.ConvMeanMs:F2}) | {p.ConvBestMs:F2} ({p.ConvMeanMs:F2})"));
        }
        return 0;
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
                _ => throw new ArgumentException($"unknown option {args[i]} (options: --threads N --tiny-iters N --conv-iters N --rounds N)"),
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

    /// <summary>native/build/srnative_bench, (re)built incrementally by CMake (native/build.sh configures the build folder).</summary>
    private static string EnsureDirectBench()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) dir = dir.Parent;
        if (dir == null) throw new InvalidOperationException("cannot find the repository root (the folder holding SrMlNet.sln) above " + AppContext.BaseDirectory);
        var native = Path.Combine(dir.FullName, "native");
        var build = Environment.GetEnvironmentVariable("SRNATIVE_BUILD_DIR") ?? Path.Combine(native, "build");
        var (file, arguments) = File.Exists(Path.Combine(build, "CMakeCache.txt"))
            ? ("cmake", new[] { "--build", build, "--target", "srnative_bench" })
            : ("bash", new[] { Path.Combine(native, "build.sh") });
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var errTask = p.StandardError.ReadToEndAsync();
        var outText = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"building srnative_bench failed: {outText}{errTask.Result}");
        var exe = Path.Combine(build, "srnative_bench");
        return File.Exists(exe) ? exe : throw new InvalidOperationException($"{exe} was not built");
    }
}
