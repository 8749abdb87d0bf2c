using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>
/// A few validation images kept in memory (HR mod-cropped, LR degraded once) and a cheap PSNR on them, for
/// "validate every N steps". Protocol: network output clamped to [0,1] and rounded to 8 bits, Y channel (BT.601;
/// RGB outputs converted), <c>scale</c> border pixels shaved, mean of per-image PSNR. The imaging branch's evaluator
/// (PSNR + SSIM, protocols as options) plugs into <see cref="TrainingOptions.Validate"/> the same way.
/// </summary>
public sealed class ValidationSet : IDisposable
{
    private readonly List<(Tensor lr, Tensor hr)> _pairs = [];

    private ValidationSet(int scale) => Scale = scale;

    public int Scale { get; }
    public int Count => _pairs.Count;
    public string Protocol => $"Y, 8-bit rounded, shave {Scale}";

    /// <summary>Loads up to <paramref name="maxImages"/> images of <paramref name="folder"/> (sorted by name).</summary>
    public static ValidationSet FromFolder(string folder, int scale, ColorSpace colorSpace, IDegradation degradation, int maxImages = 5)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(degradation);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: validation folder does not exist.");
        var files = PatchSampler.ImageFilesIn(folder).Take(maxImages).ToList();
        if (files.Count == 0) throw new ArgumentException($"{folder}: contains no image files.");
        var set = new ValidationSet(scale);
        try
        {
            foreach (var f in files)
            {
                using var image = PatchSampler.LoadImage(f, colorSpace);
                set.Add(image, degradation, f);
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>From HR images in memory (C×H×W float32 in [0,1]).</summary>
    public static ValidationSet FromImages(IReadOnlyList<Tensor> images, int scale, IDegradation degradation)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(degradation);
        var set = new ValidationSet(scale);
        for (int i = 0; i < images.Count; i++) set.Add(images[i], degradation, $"image {i}");
        return set;
    }

    private void Add(Tensor chw, IDegradation degradation, string name)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long h = chw.shape[1] / Scale * Scale, w = chw.shape[2] / Scale * Scale;
        if (h < Scale || w < Scale) throw new ArgumentException($"{name}: too small for scale {Scale}.");
        var hr = chw.narrow(1, 0, h).narrow(2, 0, w).unsqueeze(0).contiguous();
        var lr = degradation.Apply(hr, Scale, seed: _pairs.Count);
        _pairs.Add((lr.DetachFromDisposeScope(), hr.DetachFromDisposeScope()));
    }

    /// <summary>Mean PSNR of <paramref name="network"/> on the set (call in eval mode; runs under inference mode).</summary>
    public ValidationResult Evaluate(SrNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        double sum = 0;
        foreach (var (lr, hr) in _pairs)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var sr = network.forward(lr).clamp(0, 1);
            var target = PixelLossObjective.CenterCrop(hr, sr.shape[2], sr.shape[3]);
            sum += Psnr(Luma(sr), Luma(target), Scale);
        }
        return new ValidationResult(sum / _pairs.Count, null, Protocol);
    }

    private static Tensor Luma(Tensor x)
    {
        // 8-bit rounding as the images would be saved; Y (BT.601) from RGB as in the papers' evaluations.
        var q = (x * 255.0).round();
        if (q.shape[1] == 1) return q;
        return (q.narrow(1, 0, 1) * 65.481 + q.narrow(1, 1, 1) * 128.553 + q.narrow(1, 2, 1) * 24.966) / 255.0 + 16.0;
    }

    private static double Psnr(Tensor a255, Tensor b255, int shave)
    {
        long h = a255.shape[2], w = a255.shape[3];
        if (h > 2 * shave && w > 2 * shave)
        {
            a255 = a255.narrow(2, shave, h - 2 * shave).narrow(3, shave, w - 2 * shave);
            b255 = b255.narrow(2, shave, h - 2 * shave).narrow(3, shave, w - 2 * shave);
        }
        double mse = (a255.to(ScalarType.Float64) - b255.to(ScalarType.Float64)).square().mean().item<double>();
        return mse == 0 ? 100 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    public void Dispose()
    {
        foreach (var (lr, hr) in _pairs)
        {
            lr.Dispose();
            hr.Dispose();
        }
        _pairs.Clear();
    }
}
