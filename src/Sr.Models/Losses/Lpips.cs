// LPIPS v0.1 (Zhang et al., CVPR 2018 "The Unreasonable Effectiveness of Deep Features as a Perceptual Metric"), the
// 'net-lin' AlexNet variant that SPSR reports (Maclory/SPSR metrics/evaluate_sr_results.py: PerceptualLoss(model='net-lin', net='alex')).
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Losses;

/// <summary>
/// d(x, y) = Σ_l mean_hw ‖w_l ⊙ (f̂_l(x) − f̂_l(y))‖² over the five ReLU outputs of torchvision's AlexNet, where f̂ is the
/// channel-unit-normalised feature and w_l the learned non-negative 1×1 "lin" weights. Inputs are RGB in [0,1] (mapped to
/// [−1,1] and through LPIPS's scaling layer). Neither the AlexNet nor the lin weights can be downloaded here: load torchvision's
/// <c>alexnet</c> state dict (<c>alexnet-owt-7be5be79.pth</c>) and LPIPS's <c>weights/v0.1/alex.pth</c> with <see cref="Load"/>.
/// </summary>
public sealed class Lpips : nn.Module<Tensor, Tensor, Tensor>
{
    public const string AlexNetFileName = "alexnet-owt-7be5be79.pth";
    public const string LinFileName = "alex.pth";

    /// <summary>The smallest height and width AlexNet's two 3×3/2 max-poolings accept (30×30 leaves 0×0 after the second).</summary>
    public const int MinSide = 31;

    private static readonly int[] Taps = [1, 4, 7, 9, 11];
    private static readonly long[] Widths = [64, 192, 384, 256, 256];

    private readonly nn.Sequential features;
    private readonly nn.Sequential lin0, lin1, lin2, lin3, lin4;

    public Lpips() : base("LPIPS")
    {
        features = new nn.Sequential(
            new nn.Conv2d(3, 64, 11, stride: 4, padding: 2), nn.ReLU(), nn.MaxPool2d(3, 2),
            new nn.Conv2d(64, 192, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(3, 2),
            new nn.Conv2d(192, 384, 3, padding: 1), nn.ReLU(),
            new nn.Conv2d(384, 256, 3, padding: 1), nn.ReLU(),
            new nn.Conv2d(256, 256, 3, padding: 1), nn.ReLU());
        // LPIPS's NetLinLayer: Sequential(Dropout, Conv2d(C, 1, 1, bias=False)), hence the keys lin{l}.model.1.weight.
        nn.Sequential Lin(long c) => new(("model", new nn.Sequential(nn.Identity(), new nn.Conv2d(c, 1, 1, bias: false))));
        (lin0, lin1, lin2, lin3, lin4) = (Lin(Widths[0]), Lin(Widths[1]), Lin(Widths[2]), Lin(Widths[3]), Lin(Widths[4]));
        register_buffer("shift", tensor(new float[] { -0.030f, -0.088f, -0.188f }, [1, 3, 1, 1]), persistent: false);
        register_buffer("scale", tensor(new float[] { 0.458f, 0.448f, 0.450f }, [1, 3, 1, 1]), persistent: false);
        RegisterComponents();
        foreach (var p in parameters()) p.requires_grad = false;
        eval();
    }

    /// <summary>Where the weights came from (the path given to <see cref="Load(string)"/>, or both files); null for a module built in code.</summary>
    public string? Source { get; private set; }

    public override nn.Module train(bool on = true) => base.train(false);

    /// <summary>Per-image distance (N) between two N×3×H×W RGB batches in [0,1]; differentiable in both.</summary>
    public override Tensor forward(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!x.shape.SequenceEqual(y.shape) || x.dim() != 4 || x.size(1) != 3)
            throw new ArgumentException($"LPIPS compares two N×3×H×W RGB batches of one shape, got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
        if (x.size(2) < MinSide || x.size(3) < MinSide)
            throw new ArgumentException($"LPIPS needs images of at least {MinSide}×{MinSide} (AlexNet's pooling), got {x.size(3)}×{x.size(2)}.");
        using var scope = NewDisposeScope();
        var fx = Features(x);
        var fy = Features(y);
        nn.Sequential[] lins = [lin0, lin1, lin2, lin3, lin4];
        Tensor? total = null;
        for (int l = 0; l < Taps.Length; l++)
        {
            var d = Normalise(fx[l]).sub(Normalise(fy[l])).square();
            var v = lins[l].call(d).mean([2, 3]).reshape(-1);
            total = total is null ? v : total.add(v);
        }
        return total!.MoveToOuterDisposeScope();
    }

    private List<Tensor> Features(Tensor rgb)
    {
        var b = named_buffers(false).ToDictionary(t => t.name, t => t.buffer);
        var h = rgb.mul(2).sub(1).sub(b["shift"]).div(b["scale"]);
        var taps = new List<Tensor>();
        for (int i = 0; i < features.Count; i++)
        {
            h = features[i].call(h);
            if (Taps.Contains(i)) taps.Add(h);
        }
        return taps;
    }

    private static Tensor Normalise(Tensor f) => f.div(f.square().sum(1, keepdim: true).sqrt().add(1e-10));

    /// <summary>
    /// Loads LPIPS from what <c>sr eval --lpips PATH</c> takes: a folder holding torchvision's AlexNet
    /// (<c>alexnet-owt-7be5be79.pth</c>) and LPIPS v0.1's lin weights (<c>alex.pth</c>) under those names, or one state dict
    /// (<c>.pth</c> or <c>.safetensors</c>) holding both sets of keys (<c>features.{0,3,6,8,10}.{weight,bias}</c> and
    /// <c>lin{0..4}.model.1.weight</c>). A missing, unreadable, foreign or wrong-shaped file fails naming the file and the problem.
    /// </summary>
    public static Lpips Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            var fromFolder = Load(Path.Combine(path, AlexNetFileName), Path.Combine(path, LinFileName));
            fromFolder.Source = path;
            return fromFolder;
        }
        if (!File.Exists(path))
            throw new FileNotFoundException($"LPIPS weights '{path}': no such file or folder. Give a folder holding '{AlexNetFileName}' and '{LinFileName}', or one state dict with both.", path);
        var lpips = LoadFiles([path]);
        lpips.Source = path;
        return lpips;
    }

    /// <summary>
    /// Loads torchvision's AlexNet (<c>features.N.*</c> entries; others such as <c>classifier.*</c> ignored) and LPIPS v0.1's lin
    /// weights (<c>lin{l}.model.1.weight</c>). Each missing file fails naming it and where it comes from; a tensor of the wrong
    /// shape fails naming the file, the key and both shapes.
    /// </summary>
    public static Lpips Load(string alexNetPath, string linPath)
    {
        ArgumentNullException.ThrowIfNull(alexNetPath);
        ArgumentNullException.ThrowIfNull(linPath);
        foreach (var (path, what) in new[] { (alexNetPath, $"torchvision's ImageNet AlexNet ('{AlexNetFileName}', https://download.pytorch.org/models/{AlexNetFileName})"),
                     (linPath, $"LPIPS v0.1's AlexNet lin weights ('{LinFileName}', lpips/weights/v0.1/{LinFileName} of richzhang/PerceptualSimilarity)") })
            if (!File.Exists(path)) throw new FileNotFoundException($"LPIPS needs {what}; it cannot be downloaded here. Put the file at '{path}'.", path);
        var lpips = LoadFiles([alexNetPath, linPath]);
        lpips.Source = $"{alexNetPath} + {linPath}";
        return lpips;
    }

    private static Lpips LoadFiles(IReadOnlyList<string> paths)
    {
        var lpips = new Lpips();
        try
        {
            var own = lpips.state_dict();
            foreach (var path in paths)
            {
                var dict = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
                    ? Sr.Torch.Serialization.Safetensors.LoadStateDict(path)
                    : Sr.Torch.Serialization.PyTorchUnpickler.UnpickleStateDict(path);
                using var scope = NewDisposeScope();
                try
                {
                    var matching = dict.Where(kv => own.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
                    if (matching.Count == 0)
                        throw new InvalidDataException($"'{path}' has none of LPIPS's weights (expected features.N.* of torchvision's AlexNet or lin{{l}}.model.1.weight of LPIPS v0.1; its keys: {Keys(dict.Keys)}).");
                    foreach (var (k, t) in matching)
                    {
                        if (!t.shape.SequenceEqual(own[k].shape))
                            throw new InvalidDataException($"'{path}': '{k}' has shape [{string.Join(", ", t.shape)}], but LPIPS's AlexNet needs [{string.Join(", ", own[k].shape)}] (is it another network's file?).");
                        if (t.dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16))
                            throw new InvalidDataException($"'{path}': '{k}' holds {t.dtype} values, not floating point.");
                    }
                    lpips.load_state_dict(matching.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32)), strict: false);
                    foreach (var k in matching.Keys) own.Remove(k);
                }
                finally
                {
                    foreach (var t in dict.Values) t.Dispose();
                }
            }
            if (own.Count > 0)
                throw new InvalidDataException($"LPIPS weights incomplete: {Keys(own.Keys)} not found in {string.Join(" or ", paths.Select(p => $"'{p}'"))}.");
            using (NewDisposeScope())
                foreach (var p in lpips.parameters())
                    if (!p.isfinite().all().item<bool>()) throw new InvalidDataException($"LPIPS weights in {string.Join(" or ", paths.Select(p => $"'{p}'"))} hold NaN or infinite values.");
            return lpips;
        }
        catch
        {
            lpips.Dispose();
            throw;
        }
    }

    private static string Keys(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list.Take(4)) + (list.Count > 4 ? $", … ({list.Count} in all)" : "");
    }
}
