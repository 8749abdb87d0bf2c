// SPSR-P (Ma et al., TPAMI 2021, §4.2 Eq. 11–12, App. B.2): contrastive prediction (CPC/InfoNCE) of a structure feature
// from its neighbours; trains the NSE of SPSR-P and measures its top-1 accuracy as Fig. 15.
using Sr.Models.Networks.Spsr;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Spsr;

/// <summary>
/// The autoregressive model g (FC–ReLU–FC–ReLU–FC) maps the concatenated context features z_c to ẑ; the InfoNCE loss
/// −log(exp(f(z⁺,ẑ)) / Σ_{z ∈ {z⁺} ∪ Z⁻} exp(f(z,ẑ))) with f = τ·cos and τ = 64 picks the target z⁺ among negatives Z⁻:
/// every other position of the same feature map whose receptive field overlaps neither the target's nor the contexts'.
/// Context features sit <see cref="Offset"/> grid cells away, so they share no pixel with the target.
/// </summary>
public sealed class ContrastivePrediction : nn.Module
{
    /// <summary>"τ … set to 64 for stable convergence" (§5.1).</summary>
    public const double PaperTau = 64;

    private readonly nn.Sequential g;

    /// <param name="channels">Structure-feature channels (32).</param>
    /// <param name="sampling">Context layout (paper default horizontal).</param>
    /// <param name="hidden">Width of g's hidden layers; "several FC layers" in the paper: two hidden layers of 256 are ours.</param>
    /// <param name="offset">Grid distance target–context; default the NSE's disjoint distance (7).</param>
    public ContrastivePrediction(int channels = NeuralStructureExtractor.PaperChannels, ContrastiveSampling sampling = ContrastiveSampling.Horizontal,
        double tau = PaperTau, int hidden = 256, int offset = NeuralStructureExtractor.DisjointDistance) : base("ContrastivePrediction")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(offset);
        (Channels, Sampling, Tau, Offset) = (channels, sampling, tau, offset);
        g = new nn.Sequential(new nn.Linear(ContextCount * channels, hidden), nn.ReLU(), new nn.Linear(hidden, hidden), nn.ReLU(), new nn.Linear(hidden, channels));
        RegisterComponents();
    }

    public int Channels { get; }
    public ContrastiveSampling Sampling { get; }
    public double Tau { get; }
    public int Offset { get; }

    public int ContextCount => Sampling == ContrastiveSampling.Cross ? 4 : 2;

    private (int di, int dj)[] ContextOffsets => Sampling switch
    {
        ContrastiveSampling.Horizontal => [(0, -Offset), (0, Offset)],
        ContrastiveSampling.Vertical => [(-Offset, 0), (Offset, 0)],
        _ => [(0, -Offset), (0, Offset), (-Offset, 0), (Offset, 0)],
    };

    /// <summary>The result of one batch: the mean InfoNCE loss, top-1 hits and the mean number of negatives per target.</summary>
    public sealed record Result(Tensor Loss, int Correct, int Count, double MeanNegatives) : IDisposable
    {
        public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

        /// <summary>Top-1 by chance: 1 / (1 + negatives).</summary>
        public double Chance => 1 / (1 + MeanNegatives);

        public void Dispose() => Loss.Dispose();
    }

    /// <summary>
    /// Picks <paramref name="anchorsPerMap"/> random targets on each feature map of <paramref name="features"/>
    /// (N×C×h×w), predicts each from its contexts and scores it against the map's disjoint positions.
    /// </summary>
    public Result Compute(Tensor features, int anchorsPerMap, Random rng)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(rng);
        var s = features.shape;
        long n = s[0], c = s[1], h = s[2], w = s[3];
        if (c != Channels) throw new ArgumentException($"Expected {Channels}-channel features, got {c}.", nameof(features));
        int mi = Sampling == ContrastiveSampling.Horizontal ? 0 : Offset, mj = Sampling == ContrastiveSampling.Vertical ? 0 : Offset;
        if (h <= 2 * mi || w <= 2 * mj) throw new ArgumentException($"A {h}×{w} feature map is too small for contexts {Offset} cells away.", nameof(features));
        var offsets = ContextOffsets;
        long hw = h * w, k = anchorsPerMap;
        var targets = new long[n * k];
        var contexts = new long[n * k * offsets.Length];
        var excluded = new bool[n * k * hw];
        long negatives = 0;
        for (long b = 0; b < n; b++)
            for (long a = 0; a < k; a++)
            {
                long row = b * k + a;
                int ti = mi + rng.Next((int)(h - 2 * mi)), tj = mj + rng.Next((int)(w - 2 * mj));
                targets[row] = ti * w + tj;
                var centres = new List<(int, int)> { (ti, tj) };
                for (int o = 0; o < offsets.Length; o++)
                {
                    int ci = ti + offsets[o].di, cj = tj + offsets[o].dj;
                    contexts[row * offsets.Length + o] = b * hw + ci * w + cj;
                    centres.Add((ci, cj));
                }
                long kept = 0;
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                    {
                        bool overlaps = i == ti && j == tj ? false : centres.Any(p => Math.Max(Math.Abs(p.Item1 - i), Math.Abs(p.Item2 - j)) < Offset);
                        excluded[row * hw + i * w + j] = overlaps;
                        if (!overlaps) kept++;
                    }
                negatives += kept - 1;
            }

        using var scope = NewDisposeScope();
        var flat = features.permute(0, 2, 3, 1).reshape(n * hw, c);                                  // positions × C
        var ctx = flat.index_select(0, tensor(contexts, [contexts.LongLength])).reshape(n * k, offsets.Length * c);
        var predicted = g.call(ctx).reshape(n, k, c);
        var pn = predicted.div(predicted.norm([2], keepdim: true).clamp_min(1e-8));
        var fn = flat.reshape(n, hw, c);
        fn = fn.div(fn.norm([2], keepdim: true).clamp_min(1e-8));
        var logits = pn.bmm(fn.transpose(1, 2)).mul(Tau);                                              // N×K×hw: τ·cos
        var mask = tensor(excluded.Select(e => e ? 1f : 0f).ToArray(), [n, k, hw]).gt(0.5);
        logits = logits.masked_fill(mask, -1e4).reshape(n * k, hw);
        var target = tensor(targets, [n * k]);
        var loss = F.cross_entropy(logits, target);
        int correct = (int)logits.detach().argmax(1).eq(target).sum().item<long>();
        return new Result(loss.MoveToOuterDisposeScope(), correct, (int)(n * k), (double)negatives / (n * k));
    }
}
