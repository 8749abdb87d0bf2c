using System.Diagnostics;
using System.Globalization;
using Sr.Models;
using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Bench;

/// <summary>
/// `imaging`: SrMlNet's MATLAB imresize (a gather of each output's taps) against libtorch's antialiased bicubic
/// (F.interpolate(…, Bicubic, antialias: true), the separable kernel PyTorch ships) on the same work in one run:
/// (1) ×4 down then up of a 2040×1356 RGB image (DIV2K size), float32; (2) a full Set14 bicubic evaluation (read, Y,
/// degrade, upscale, round, PSNR/SSIM) with the same evaluator, only the resize swapped. The two resizes are not the
/// same function (PyTorch: a = −0.75, no symmetric border) — the reference is for speed, so its PSNR is printed too.
/// Args: [repeats=5] [scale=4] [data folder=../shared/data].
/// </summary>
public sealed class ImagingBench : IBenchmark
{
    public string Name => "imaging";
    public string Description => "MATLAB imresize ×4 down+up of 2040×1356 RGB and a Set14 bicubic evaluation vs libtorch antialiased bicubic";

    public int Run(string[] args, TextWriter output)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        int scale = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        string data = args.Length > 2 ? args[2] : BenchPaths.SharedData();
        output.WriteLine($"imaging benchmark: libtorch {torch.version}, {torch.get_num_threads()} thread(s), repeats {repeats}");
        output.WriteLine();
        output.WriteLine("| work | SrMlNet (ms, median) | libtorch interpolate (ms, median) | ratio SrMlNet/libtorch |");
        output.WriteLine("|---|---:|---:|---:|");

        using (torch.inference_mode())
        {
            torch.manual_seed(0);
            using var image = torch.rand([1, 3, 1356, 2040]);
            double ours = Median(repeats, () =>
            {
                using var scope = torch.NewDisposeScope();
                MatlabResize.Upscale(MatlabResize.Downscale(image, 4), 4);
            });
            double reference = Median(repeats, () =>
            {
                using var scope = torch.NewDisposeScope();
                var down = F.interpolate(image, [339, 510], mode: torch.nn.InterpolationMode.Bicubic, align_corners: false, antialias: true);
                F.interpolate(down, [1356, 2040], mode: torch.nn.InterpolationMode.Bicubic, align_corners: false, antialias: true);
            });
            Row(output, "×4 down+up, 2040×1356 RGB float32", ours, reference);

            var set14 = Path.Combine(data, "Set14");
            if (!Directory.Exists(set14))
            {
                output.WriteLine($"(Set14 not found at {set14}: evaluation part skipped)");
                return 0;
            }
            var oursEval = new SrEvaluator();
            var refEval = new SrEvaluator(EvalProtocol.YShave, new TorchBicubicDegradation());
            EvalReport? a = null, b = null;
            int evalRepeats = Math.Max(1, repeats / 2);
            double oursMs = Median(evalRepeats, () => a = oursEval.EvaluateFolder(set14, new BicubicResolver(), scale));
            double refMs = Median(evalRepeats, () => b = refEval.EvaluateFolder(set14, new TorchBicubicResolver(), scale));
            Row(output, $"Set14 ×{scale} bicubic evaluation (14 images, end to end)", oursMs, refMs);
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Set14 ×{scale} y-shave: SrMlNet MATLAB bicubic {a!.MeanPsnr:F4} dB / {a.MeanSsim:F4}; libtorch bicubic (a=−0.75) {b!.MeanPsnr:F4} dB / {b.MeanSsim:F4}"));
        }
        return 0;
    }

    private static void Row(TextWriter o, string what, double ours, double reference) =>
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {ours:F1} | {reference:F1} | {ours / reference:F2} |"));

    private static double Median(int repeats, Action work)
    {
        work(); // warm-up: weight plans, thread pool, allocator
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            work();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }

    /// <summary>The reference degradation: libtorch's antialiased bicubic downscaling.</summary>
    private sealed class TorchBicubicDegradation : IDegradation
    {
        public string Name => "torch-bicubic-aa";

        public Tensor Apply(Tensor hr, int scale, long seed = 0) =>
            F.interpolate(hr, [hr.shape[2] / scale, hr.shape[3] / scale], mode: torch.nn.InterpolationMode.Bicubic, align_corners: false, antialias: true);
    }

    /// <summary>The reference upscaler: libtorch's bicubic, clamped like every ISuperResolver's output.</summary>
    private sealed class TorchBicubicResolver : ISuperResolver
    {
        public string Name => "torch-bicubic";
        public ColorSpace ColorSpace => ColorSpace.Y;
        public IReadOnlyList<int> Scales => [2, 3, 4];

        public Tensor Upscale(Tensor lr, int scale)
        {
            using var scope = torch.NewDisposeScope();
            return F.interpolate(lr, [lr.shape[2] * scale, lr.shape[3] * scale], mode: torch.nn.InterpolationMode.Bicubic, align_corners: false, antialias: true)
                .clamp(0, 1).MoveToOuterDisposeScope();
        }
    }
}
