using Sr.Models.Imaging;
using Sr.Models.Upscaling;
using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Evaluation;

/// <summary>One method's result in a comparison: its output and its scores under the comparison's protocol (Y, shave = scale).</summary>
public sealed record ComparisonEntry(string Name, double Psnr, double Ssim);

/// <summary>An 8-bit picture of a comparison: H×W×C bytes (C = 1 or 3), row-major.</summary>
public sealed record ComparisonImage(byte[] Pixels, int Width, int Height, int Channels);

/// <summary>
/// What `sr compare` shows: the input a user would have (enlarged with nearest neighbour to the HR size), each method's output
/// and the ground truth, every one at the HR size, the scores, and the square region where the methods differ most.
/// </summary>
public sealed record MethodComparisonResult(
    int Scale,
    ComparisonImage Input,
    IReadOnlyList<ComparisonEntry> Entries,
    IReadOnlyList<ComparisonImage> Outputs,
    ComparisonImage GroundTruth,
    (int Top, int Left, int Size) Region);

/// <summary>Runs each method on the MATLAB-bicubic ×s input of an HR image and scores it (Y, shave = scale).</summary>
public static class MethodComparison
{
    /// <summary>Compares <paramref name="methods"/> on <paramref name="hr"/> (1×C×H×W in [0,1], C = 1 or 3).</summary>
    public static MethodComparisonResult Run(Tensor hr, int scale, IReadOnlyList<ISuperResolver> methods)
    {
        ArgumentNullException.ThrowIfNull(hr);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Count == 0) throw new ArgumentException("Give at least one method to compare.", nameof(methods));
        using var scope = torch.NewDisposeScope();
        var gt = ImageTensor.QuantizeToUint8Levels(ImageTensor.ModCrop(hr, scale));
        // The input a user would have: MATLAB bicubic down-scaling, stored as an 8-bit image.
        var lr = ImageTensor.QuantizeToUint8Levels(MatlabResize.Downscale(gt, scale));
        var evaluator = new SrEvaluator(EvalProtocol.YShave);
        var outputs = new List<Tensor>();
        var entries = new List<ComparisonEntry>();
        foreach (var m in methods)
        {
            var sr = ImageTensor.QuantizeToUint8Levels(ImageUpscaler.Upscale(lr, m, scale));
            var (psnr, ssim) = evaluator.Score(gt.mul(255), sr.mul(255), scale);
            outputs.Add(sr);
            entries.Add(new ComparisonEntry(m.Name, psnr, ssim));
        }
        var input = F.interpolate(lr, size: [gt.shape[2], gt.shape[3]], mode: torch.nn.InterpolationMode.Nearest);
        return new MethodComparisonResult(scale, Bytes(input), entries, outputs.Select(Bytes).ToList(), Bytes(gt), MostDifferentRegion(outputs, gt));
    }

    /// <summary>The square HR window (top, left, size) where the methods' outputs disagree most (largest mean spread).</summary>
    internal static (int top, int left, int size) MostDifferentRegion(IReadOnlyList<Tensor> outputs, Tensor gt)
    {
        long h = gt.shape[2], w = gt.shape[3];
        int size = (int)Math.Clamp(Math.Min(h, w) / 4, 8, 96);
        using var scope = torch.NewDisposeScope();
        // With one method, "differ" means from the ground truth.
        var all = outputs.Count > 1 ? torch.stack(outputs.ToList(), 0) : torch.stack([outputs[0], gt], 0);
        var spread = all.std([0]).mean(1, keepdim: true);
        int stride = Math.Max(1, size / 4);
        var pooled = F.avg_pool2d(spread, size, stride);
        long pw = pooled.shape[3];
        long best = pooled.reshape(-1).argmax(0).item<long>();
        int top = (int)(best / pw) * stride, left = (int)(best % pw) * stride;
        return (top, left, size);
    }

    private static ComparisonImage Bytes(Tensor nchw)
    {
        using var hwc = ImageTensor.ToHwcUint8(nchw);
        return new ComparisonImage(hwc.data<byte>(), (int)hwc.shape[1], (int)hwc.shape[0], (int)hwc.shape[2]);
    }
}
