using System.Diagnostics;
using System.Globalization;
using Sr.Models;
using Sr.Models.Diagnostics;
using Sr.Models.Imaging;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Bench;

/// <summary>
/// `upscale`: the main job, `sr upscale IMAGE -o OUT.png` (default model, ×2), per stage and against its floor, in one run.
/// (1) The whole command as a child process (`sr upscale` with SR_TIMINGS=1, which prints its stage times), with the default
/// model and with --model bicubic, alternating, median over rounds. (2) In this process, warm: the floor — PNG decode, the
/// network forward on the image's Y and the PNG encode of the result, each measured alone — and, for bicubic, decode +
/// libtorch's bicubic interpolate of the RGB image + encode. Ratios: whole command / floor (target ≤ 1.5×).
/// Args: [rounds=3] [image=../shared/data/Set5/baby.png].
/// </summary>
public sealed class UpscaleBench : IBenchmark
{
    public string Name => "upscale";
    public string Description => "`sr upscale` of baby per stage (child processes) vs the floor: decode + network + encode measured alone";

    public int Run(string[] args, TextWriter output)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        string image = args.Length > 1 ? args[1] : Path.Combine(BenchPaths.SharedData(), "Set5", "baby.png");
        string sr = SrDll();
        var tmp = Directory.CreateTempSubdirectory("sr-bench-upscale-");
        try
        {
            output.WriteLine($"upscale benchmark: {image}, ×2; libtorch {torch.version}, {torch.get_num_threads()} thread(s); rounds {rounds}; load average at start {LoadAverage()}");
            output.WriteLine();
            var runs = new Dictionary<string, List<(double Wall, Dictionary<string, double> Stages)>> { ["default"] = [], ["bicubic"] = [] };
            var floors = new List<(double Decode, double Network, double Encode, double Bicubic, double FirstForward)>();
            for (int r = 0; r < rounds; r++)
            {
                // Alternate which goes first, so drifting load hits both alike.
                foreach (var model in r % 2 == 0 ? new[] { "default", "bicubic" } : ["bicubic", "default"])
                    runs[model].Add(RunChild(sr, image, Path.Combine(tmp.FullName, model + ".png"), model));
                floors.Add(Floor(image, Path.Combine(tmp.FullName, "floor.png")));
            }

            double decode = BenchStats.Median(floors.Select(f => f.Decode));
            double network = BenchStats.Median(floors.Select(f => f.Network));
            double encode = BenchStats.Median(floors.Select(f => f.Encode));
            double bicubicRef = BenchStats.Median(floors.Select(f => f.Bicubic));
            double first = BenchStats.Median(floors.Select(f => f.FirstForward));

            var stageNames = runs.Values.SelectMany(v => v).SelectMany(v => v.Stages.Keys).Distinct().ToList();
            output.WriteLine("Stages of `sr upscale` (child process, SR_TIMINGS=1; seconds, median over rounds):");
            output.WriteLine();
            output.WriteLine("| stage | default model | --model bicubic |");
            output.WriteLine("|---|---:|---:|");
            foreach (var stage in stageNames)
                output.WriteLine(Inv($"| {stage} | {StageMedian(runs["default"], stage):F3} | {StageMedian(runs["bicubic"], stage):F3} |"));
            double insideDefault = BenchStats.Median(runs["default"].Select(v => v.Stages.Where(s => s.Key is not ("process start" or "libtorch start-up" or "model load")).Sum(s => s.Value)));
            double insideBicubic = BenchStats.Median(runs["bicubic"].Select(v => v.Stages.Where(s => s.Key is not ("process start" or "libtorch start-up" or "model load")).Sum(s => s.Value)));
            double wallDefault = BenchStats.Median(runs["default"].Select(v => v.Wall));
            double wallBicubic = BenchStats.Median(runs["bicubic"].Select(v => v.Wall));
            output.WriteLine(Inv($"| **after model load (decode … encode)** | {insideDefault:F3} | {insideBicubic:F3} |"));
            output.WriteLine(Inv($"| **whole process (wall)** | {wallDefault:F3} | {wallBicubic:F3} |"));
            output.WriteLine();
            output.WriteLine("Floor, measured alone in this process after a warm-up (seconds, median over rounds):");
            output.WriteLine();
            output.WriteLine(Inv($"| PNG decode | {decode:F3} |"));
            output.WriteLine(Inv($"| network forward on Y (warm) | {network:F3} |"));
            output.WriteLine(Inv($"| network forward, first call after loading the model | {first:F3} |"));
            output.WriteLine(Inv($"| libtorch bicubic interpolate of the RGB image (warm) | {bicubicRef:F3} |"));
            output.WriteLine(Inv($"| PNG encode | {encode:F3} |"));
            output.WriteLine();
            double floorDefault = decode + network + encode, floorBicubic = decode + bicubicRef + encode;
            output.WriteLine("| ratio | value | target |");
            output.WriteLine("|---|---:|---:|");
            output.WriteLine(Inv($"| default: whole process / (decode + network + encode) | {wallDefault / floorDefault:F2}× | ≤ 1.5× |"));
            output.WriteLine(Inv($"| default: decode … encode inside the command / (decode + network + encode) | {insideDefault / floorDefault:F2}× | |"));
            output.WriteLine(Inv($"| bicubic: whole process / (decode + libtorch bicubic + encode) | {wallBicubic / floorBicubic:F2}× | |"));
            output.WriteLine(Inv($"| bicubic: decode … encode inside the command / (decode + libtorch bicubic + encode) | {insideBicubic / floorBicubic:F2}× | |"));
            output.WriteLine();
            output.WriteLine($"load average at end {LoadAverage()}");
            return 0;
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static double StageMedian(List<(double Wall, Dictionary<string, double> Stages)> runs, string stage) =>
        BenchStats.Median(runs.Select(v => v.Stages.GetValueOrDefault(stage)));

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    /// <summary>The sr.dll to run as a child: beside this program when it is `sr`, else the one ./sr builds.</summary>
    private static string SrDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "sr.dll");
        if (File.Exists(beside)) return beside;
        var built = Path.Combine(BenchPaths.RepoRoot(), "artifacts", "sr", "sr.dll");
        if (File.Exists(built)) return built;
        throw new FileNotFoundException("sr.dll not found beside the benchmark nor in artifacts/sr: run ./sr once to build it.");
    }

    private static (double Wall, Dictionary<string, double> Stages) RunChild(string srDll, string image, string outPath, string model)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { srDll, "upscale", image, "-o", outPath, "--model", model }) psi.ArgumentList.Add(a);
        psi.Environment["SR_TIMINGS"] = "1";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        double wall = sw.Elapsed.TotalSeconds;
        _ = stdoutTask.Result;
        if (p.ExitCode != 0) throw new InvalidOperationException($"sr upscale --model {model} failed ({p.ExitCode}): {err}");
        var line = err.Split('\n').FirstOrDefault(l => l.StartsWith("timings: ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"sr upscale printed no timings: {err}");
        var stages = new Dictionary<string, double>();
        // "name=seconds" pairs; names may hold spaces, so split on '=' and take the number after each.
        var rest = line["timings: ".Length..];
        while (rest.Length > 0)
        {
            int eq = rest.IndexOf('=');
            int end = rest.IndexOf(' ', eq);
            if (end < 0) end = rest.Length;
            stages[rest[..eq].Trim()] = double.Parse(rest[(eq + 1)..end], CultureInfo.InvariantCulture);
            rest = end < rest.Length ? rest[(end + 1)..] : "";
        }
        return (wall, stages);
    }

    /// <summary>The floor in this process: decode, the network alone on the image's Y (first call and warm), encode; and libtorch bicubic.</summary>
    private static (double Decode, double Network, double Encode, double Bicubic, double FirstForward) Floor(string image, string outPath)
    {
        double first = double.NaN;
        var sw = Stopwatch.StartNew();
        using var decoded = ImageFile.Read(image);
        double decode = sw.Elapsed.TotalSeconds;
        using var method = DefaultModel.Load(2);
        using var converted = ImageTensor.FromDecoded(decoded);
        using var y = ImageUpscaler.LumaOf(converted.Image);
        using var rgb = converted.Image.narrow(1, 0, 3).contiguous();
        double network = double.MaxValue, bicubic = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            sw.Restart();
            using (var sr = method.Upscale(y, 2)) { }
            double t = sw.Elapsed.TotalSeconds;
            if (double.IsNaN(first)) first = t;
            else network = Math.Min(network, t);
            sw.Restart();
            using (torch.inference_mode())
            using (var up = F.interpolate(rgb, [rgb.shape[2] * 2, rgb.shape[3] * 2], mode: torch.nn.InterpolationMode.Bicubic, align_corners: false)) { }
            if (i > 0) bicubic = Math.Min(bicubic, sw.Elapsed.TotalSeconds);
        }
        using var scope = torch.NewDisposeScope();
        var pixels = torch.cat([decoded.Pixels, decoded.Pixels], 0); // an image of the output's size (2H×W×C) to encode
        pixels = torch.cat([pixels, pixels], 1).contiguous();
        ImageFile.Write(outPath, pixels); // warm-up of the encoder
        sw.Restart();
        ImageFile.Write(outPath, pixels);
        double encode = sw.Elapsed.TotalSeconds;
        return (decode, network, encode, bicubic, first);
    }
}
