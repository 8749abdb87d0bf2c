// SPSR-J (Ma et al., TPAMI 2021, §4.2 Eq. 13): solving jigsaw puzzles of structure features — four features on a
// 2×2 grid with disjoint receptive fields, shuffled by one of 4! = 24 permutations, classified by 3 FC layers.
using Sr.Models.Networks.Spsr;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Spsr;

/// <summary>The jigsaw task: the classifier sees the four vectors concatenated in a random permutation and names the permutation.</summary>
public sealed class JigsawPuzzle : nn.Module
{
    /// <summary>All 24 orders of the four grid cells (top-left, top-right, bottom-left, bottom-right), lexicographic.</summary>
    public static IReadOnlyList<int[]> Permutations { get; } = MakePermutations();

    private readonly nn.Sequential classifier;

    /// <param name="hidden">Width of the two hidden FC layers (paper: "three fully connected layers", widths stripped; 512 is ours).</param>
    /// <param name="spacing">Grid spacing in feature cells; default the NSE's disjoint distance (7) so no two pieces share a pixel.</param>
    public JigsawPuzzle(int channels = NeuralStructureExtractor.PaperChannels, int hidden = 512, int spacing = NeuralStructureExtractor.DisjointDistance) : base("JigsawPuzzle")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spacing);
        (Channels, Spacing) = (channels, spacing);
        classifier = new nn.Sequential(new nn.Linear(4 * channels, hidden), nn.ReLU(), new nn.Linear(hidden, hidden), nn.ReLU(), new nn.Linear(hidden, Permutations.Count));
        RegisterComponents();
    }

    public int Channels { get; }
    public int Spacing { get; }

    public sealed record Result(Tensor Loss, int Correct, int Count) : IDisposable
    {
        public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
        public static double Chance => 1.0 / 24;
        public void Dispose() => Loss.Dispose();
    }

    /// <summary>Draws <paramref name="puzzlesPerMap"/> puzzles per feature map (random grid position and permutation) and scores them.</summary>
    public Result Compute(Tensor features, int puzzlesPerMap, Random rng)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(rng);
        var s = features.shape;
        long n = s[0], c = s[1], h = s[2], w = s[3];
        if (c != Channels) throw new ArgumentException($"Expected {Channels}-channel features, got {c}.", nameof(features));
        if (h <= Spacing || w <= Spacing) throw new ArgumentException($"A {h}×{w} feature map is too small for a 2×2 grid {Spacing} cells apart.", nameof(features));
        long k = puzzlesPerMap, hw = h * w;
        var index = new long[n * k * 4];
        var labels = new long[n * k];
        for (long b = 0; b < n; b++)
            for (long a = 0; a < k; a++)
            {
                long row = b * k + a;
                int i = rng.Next((int)(h - Spacing)), j = rng.Next((int)(w - Spacing));
                long[] cells = [i * w + j, i * w + j + Spacing, (i + Spacing) * w + j, (i + Spacing) * w + j + Spacing];
                int p = rng.Next(Permutations.Count);
                labels[row] = p;
                for (int q = 0; q < 4; q++) index[row * 4 + q] = b * hw + cells[Permutations[p][q]];
            }
        using var scope = NewDisposeScope();
        var flat = features.permute(0, 2, 3, 1).reshape(n * hw, c);
        var pieces = flat.index_select(0, tensor(index, [index.LongLength])).reshape(n * k, 4 * c);
        var logits = classifier.call(pieces);
        var target = tensor(labels, [n * k]);
        var loss = F.cross_entropy(logits, target);
        int correct = (int)logits.detach().argmax(1).eq(target).sum().item<long>();
        return new Result(loss.MoveToOuterDisposeScope(), correct, (int)(n * k));
    }

    private static List<int[]> MakePermutations()
    {
        var all = new List<int[]>();
        void Build(List<int> prefix)
        {
            if (prefix.Count == 4) { all.Add([.. prefix]); return; }
            for (int v = 0; v < 4; v++)
                if (!prefix.Contains(v)) { prefix.Add(v); Build(prefix); prefix.RemoveAt(prefix.Count - 1); }
        }
        Build([]);
        return all;
    }
}
