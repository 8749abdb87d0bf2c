using System.Diagnostics;
using System.Globalization;
using Sr.Models;
using Sr.Models.Imaging;
using Sr.Models.Onnx;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Bench;

/// <summary>
/// `onnx`: the two inference engines on the same work. The shipped default model (rsrnet-sr) at ×2/×3/×4 upscales the Y
/// channel of Set14's bicubic LR images (a) through libtorch (<c>NetworkSuperResolver</c>), (b) through ONNX Runtime
/// (<see cref="OnnxSuperResolver"/>, the same network exported in memory). Both at the same thread count; runs alternate
/// and the median of each is reported.
/// </summary>
public sealed class OnnxBench : IBenchmark
{
    public string Name => "onnx";

    public string Description => "default model on Set14 Y: libtorch vs ONNX Runtime (same network, same threads)";

    public int Run(string[] args, TextWriter output)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Math.Max(1, Environment.ProcessorCount);
        torch.set_num_threads(threads);
        // ORT reads the same variable through OnnxSuperResolver's session options.
        Environment.SetEnvironmentVariable("SR_NUM_THREADS", threads.ToString(CultureInfo.InvariantCulture));
        var set14 = Path.Combine(BenchPaths.SharedData(), "Set14");
        output.WriteLine($"| benchmark | images | threads | libtorch (s, median of {repeats}) | ONNX Runtime (s) | ORT / libtorch |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (int scale in new[] { 2, 3, 4 })
        {
            var lrs = Directory.GetFiles(set14, "*.png").Order().Select(f => LowResY(f, scale)).ToList();
            using var libtorch = DefaultModel.Load(scale);
            using var onnx = OnnxSuperResolver.FromNetwork(libtorch.Network);

            double Time(ISuperResolver method)
            {
                var sw = Stopwatch.StartNew();
                foreach (var lr in lrs)
                {
                    using var y = method.Upscale(lr, scale);
                }
                return sw.Elapsed.TotalSeconds;
            }

            Time(libtorch); // warm-up: oneDNN primitive caches, ORT's arena, first-touch allocations
            Time(onnx);
            var a = new List<double>();
            var b = new List<double>();
            for (int i = 0; i < repeats; i++)
            {
                if (i % 2 == 0) { a.Add(Time(libtorch)); b.Add(Time(onnx)); }
                else { b.Add(Time(onnx)); a.Add(Time(libtorch)); }
            }
            double ma = BenchStats.Median(a), mb = BenchStats.Median(b);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| default ×{scale} on Set14 Y | {lrs.Count} | {threads} | {ma:F3} | {mb:F3} | {mb / ma:F2} |"));
            foreach (var lr in lrs) lr.Dispose();
        }
        return 0;
    }

    /// <summary>The evaluation protocol's LR: Y of the uint8 picture (rounded), mod-cropped, MATLAB bicubic ÷ scale.</summary>
    private static Tensor LowResY(string path, int scale)
    {
        using var image = ImageFile.Read(path);
        using var converted = ImageTensor.FromDecoded(image);
        using var scope = torch.NewDisposeScope();
        var y = ColorConversion.RgbToY(converted.Image.shape[1] == 3 ? converted.Image : converted.Image.expand(1, 3, -1, -1).contiguous(), roundLikeUint8: true);
        return MatlabResize.Downscale(ImageTensor.ModCrop(y, scale), scale).MoveToOuterDisposeScope();
    }
}
