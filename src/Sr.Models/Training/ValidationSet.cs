using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Training;

/// <summary>
/// A few validation images kept in memory, measured with the project's evaluator (<see cref="SrEvaluator"/>: degrade,
/// upscale, round, PSNR/SSIM under an explicit protocol — Y with shave = scale by default) for "validate every N steps".
/// Keep it small: it runs inside the training time budget.
/// </summary>
public sealed class ValidationSet : IDisposable
{
    private readonly List<Tensor> _images = [];
    private readonly SrEvaluator _evaluator;

    private ValidationSet(int scale, SrEvaluator evaluator)
    {
        Scale = scale;
        _evaluator = evaluator;
    }

    public int Scale { get; }
    public int Count => _images.Count;
    public EvalProtocol Protocol => _evaluator.Protocol;

    /// <summary>Loads up to <paramref name="maxImages"/> images of <paramref name="folder"/> (sorted by name).</summary>
    public static ValidationSet FromFolder(string folder, int scale, IDegradation degradation, int maxImages = 5, EvalProtocol? protocol = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(degradation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxImages);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: validation folder does not exist.");
        var files = PatchSampler.ImageFilesIn(folder).Take(maxImages).ToList();
        if (files.Count == 0) throw new ArgumentException($"{folder}: contains no image files.");
        var set = new ValidationSet(scale, new SrEvaluator(protocol, degradation));
        try
        {
            foreach (var f in files)
            {
                using var image = ImageFile.Read(f);
                var converted = ImageTensor.FromDecoded(image);
                set._images.Add(converted.Image.DetachFromDisposeScope());
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>From HR images in memory: C×H×W float32 in [0,1] on uint8 levels, C = 1 (gray) or 3 (RGB).</summary>
    public static ValidationSet FromImages(IReadOnlyList<Tensor> images, int scale, IDegradation degradation, EvalProtocol? protocol = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(degradation);
        var set = new ValidationSet(scale, new SrEvaluator(protocol, degradation));
        foreach (var t in images) set._images.Add(t.unsqueeze(0).contiguous().DetachFromDisposeScope());
        return set;
    }

    /// <summary>Mean PSNR and SSIM of <paramref name="network"/> on the set (image i degraded with seed i, as the evaluator does).</summary>
    public ValidationResult Evaluate(SrNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var method = new NetworkResolver(network, "network in training");
        double psnr = 0, ssim = 0;
        for (int i = 0; i < _images.Count; i++)
        {
            var score = _evaluator.EvaluateImage(_images[i], method, Scale, seed: i);
            psnr += score.Psnr;
            ssim += score.Ssim;
        }
        return new ValidationResult(psnr / _images.Count, ssim / _images.Count, _evaluator.Protocol.Name);
    }

    public void Dispose()
    {
        foreach (var t in _images) t.Dispose();
        _images.Clear();
    }
}
