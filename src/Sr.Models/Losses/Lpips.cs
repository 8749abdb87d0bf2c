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

    public override nn.Module train(bool on = true) => base.train(false);

    /// <summary>Per-image distance (N) between two N×3×H×W RGB batches in [0,1]; differentiable in both.</summary>
    public override Tensor forward(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!x.shape.SequenceEqual(y.shape) || x.dim() != 4 || x.size(1) != 3)
            throw new ArgumentException($"LPIPS compares two N×3×H×W RGB batches of one shape, got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
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
    /// Loads torchvision's AlexNet (<c>features.N.*</c> entries; others ignored) and LPIPS v0.1's lin weights
    /// (<c>lin{l}.model.1.weight</c>). Each missing file fails naming it and where it comes from.
    /// </summary>
    public static Lpips Load(string alexNetPath, string linPath)
    {
        foreach (var (path, what) in new[] { (alexNetPath, $"torchvision's ImageNet AlexNet ('{AlexNetFileName}', https://download.pytorch.org/models/{AlexNetFileName})"),
                     (linPath, $"LPIPS v0.1's AlexNet lin weights ('{LinFileName}', lpips/weights/v0.1/{LinFileName} of richzhang/PerceptualSimilarity)") })
            if (!File.Exists(path)) throw new FileNotFoundException($"LPIPS needs {what}; it cannot be downloaded here. Put the file at '{path}'.", path);
        var lpips = new Lpips();
        var own = lpips.state_dict();
        foreach (var path in new[] { alexNetPath, linPath })
        {
            var dict = Sr.Torch.Serialization.PyTorchUnpickler.UnpickleStateDict(path);
            try
            {
                var matching = dict.Where(kv => own.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
                if (matching.Count == 0) throw new InvalidDataException($"'{path}' has none of LPIPS's weights (expected features.N.* or lin{{l}}.model.1.weight).");
                lpips.load_state_dict(matching, strict: false);
                foreach (var k in matching.Keys) own.Remove(k);
            }
            finally
            {
                foreach (var t in dict.Values) t.Dispose();
            }
        }
        if (own.Count > 0) throw new InvalidDataException($"LPIPS weights incomplete: {string.Join(", ", own.Keys.Take(4))} not found in '{alexNetPath}' or '{linPath}'.");
        return lpips;
    }
}
