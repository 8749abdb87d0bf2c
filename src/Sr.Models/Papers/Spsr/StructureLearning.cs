// SPSR-P/-J (Ma et al., TPAMI 2021, §4.2, §5.2 and App. B.2 / Fig. 15): trains a neural structure extractor by
// contrastive prediction or jigsaw puzzles on random RGB patches, and measures top-1 accuracy on held-out patches.
using System.Diagnostics;
using Sr.Models.Networks.Spsr;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Spsr;

public static class StructureLearning
{
    /// <summary>The extractors SPSR-P and SPSR-J need: nse-p (contrastive prediction) and nse-j (jigsaw puzzles).</summary>
    public static IReadOnlyList<StructureExtractorInfo> Extractors { get; } =
    [
        new("nse-p", StructureLearningTask.ContrastivePrediction, "SPSR-P's neural structure extractor, trained by contrastive prediction (InfoNCE, τ = 64)"),
        new("nse-j", StructureLearningTask.Jigsaw, "SPSR-J's neural structure extractor, trained by solving 2×2 jigsaw puzzles (24 permutations)"),
    ];

    /// <summary>The extractor of that name (case-insensitive), or null.</summary>
    public static StructureExtractorInfo? FindExtractor(string? name) =>
        name is null ? null : Extractors.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>One progress report: step, mean loss and top-1 accuracy over the steps since the last report.</summary>
    public readonly record struct Progress(int Step, int Steps, double Loss, double Accuracy);

    /// <summary>A trained extractor and the head of its task (the autoregressive model g, or the jigsaw classifier).</summary>
    public sealed record Trained(NeuralStructureExtractor Extractor, nn.Module Head, StructureLearningOptions Options) : IDisposable
    {
        /// <summary>Steps run: <see cref="StructureLearningOptions.Steps"/>, or fewer when the time budget ran out or the run was cancelled.</summary>
        public int Steps { get; init; }

        /// <summary>Why the run ended.</summary>
        public TrainingStopReason StopReason { get; init; }

        /// <summary>Wall-clock training time.</summary>
        public TimeSpan Elapsed { get; init; }

        public void Dispose()
        {
            Extractor.Dispose();
            Head.Dispose();
        }
    }

    /// <summary>Top-1 accuracy of the task on held-out patches, and its chance level.</summary>
    public readonly record struct Accuracy(double Top1, double Chance, int Samples, double MeanNegatives);

    /// <summary>
    /// Trains a fresh NSE and task head with Adam for <see cref="StructureLearningOptions.Steps"/> steps on random
    /// <see cref="StructureLearningOptions.PatchSize"/> crops of <paramref name="images"/> (each 3×H×W float in [0,1]).
    /// The run also ends between two steps when <see cref="StructureLearningOptions.MaxDuration"/> is spent or
    /// <paramref name="cancellationToken"/> is cancelled; it then returns what it has trained (see <see cref="Trained.StopReason"/>).
    /// A non-finite loss throws <see cref="TrainingDivergedException"/> naming the step.
    /// </summary>
    public static Trained Train(IReadOnlyList<Tensor> images, StructureLearningOptions options, IProgress<Progress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Steps);
        var usable = images.Where(i => i.size(1) >= options.PatchSize && i.size(2) >= options.PatchSize).ToList();
        if (usable.Count == 0) throw new ArgumentException($"No training image is at least {options.PatchSize}×{options.PatchSize}.", nameof(images));
        var rng = new Random(options.Seed);
        manual_seed((ulong)options.Seed);
        var nse = new NeuralStructureExtractor();
        nn.Module head = options.Task == StructureLearningTask.ContrastivePrediction
            ? new ContrastivePrediction(nse.Channels, options.Sampling, options.Tau)
            : new JigsawPuzzle(nse.Channels);
        try
        {
            using var opt = optim.Adam(nse.parameters().Concat(head.parameters()), options.LearningRate);
            var clock = Stopwatch.StartNew();
            double lossSum = 0, accSum = 0;
            int since = 0, every = Math.Clamp(options.Steps / 20, 1, 50), done = 0; // at most every 50 steps: a time-bounded run has Steps = int.MaxValue
            var reason = TrainingStopReason.StepsReached;
            for (int step = 1; step <= options.Steps; step++)
            {
                if (cancellationToken.IsCancellationRequested) { reason = TrainingStopReason.Cancelled; break; }
                if (options.MaxDuration is { } budget && clock.Elapsed >= budget) { reason = TrainingStopReason.TimeBudgetSpent; break; }
                using var scope = NewDisposeScope();
                var batch = RandomPatches(usable, options.BatchSize, options.PatchSize, rng);
                var (loss, acc) = Score(nse, head, batch, options.SamplesPerMap, rng, out _);
                double value = loss.item<double>();
                if (!double.IsFinite(value)) throw new TrainingDivergedException(step, $"the {options.Task} loss is {value}", null, null);
                opt.zero_grad();
                loss.backward();
                opt.step();
                done = step;
                lossSum += value;
                accSum += acc;
                since++;
                if (step % every == 0 || step == options.Steps)
                {
                    progress?.Report(new Progress(step, options.Steps, lossSum / since, accSum / since));
                    lossSum = accSum = since = 0;
                }
            }
            return new Trained(nse, head, options) { Steps = done, StopReason = reason, Elapsed = clock.Elapsed };
        }
        catch
        {
            nse.Dispose();
            head.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fig. 15's measurement: patches of <paramref name="patchSize"/> cut on a dense grid from <paramref name="images"/>,
    /// <paramref name="samplesPerPatch"/> random targets (or puzzles) each, top-1 over the positive and its disjoint negatives
    /// (contrastive) or over the 24 permutations (jigsaw).
    /// </summary>
    public static Accuracy Evaluate(Trained model, IReadOnlyList<Tensor> images, int patchSize, int samplesPerPatch, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var rng = new Random(seed);
        int correct = 0, count = 0;
        double negatives = 0;
        using var _ = no_grad();
        model.Extractor.eval();
        foreach (var img in images)
        {
            long h = img.size(1), w = img.size(2);
            for (long y = 0; y + patchSize <= h; y += patchSize)
                for (long x = 0; x + patchSize <= w; x += patchSize)
                {
                    using var scope = NewDisposeScope();
                    var patch = img.narrow(1, y, patchSize).narrow(2, x, patchSize).unsqueeze(0);
                    var (_, acc) = Score(model.Extractor, model.Head, patch, samplesPerPatch, rng, out double neg);
                    correct += (int)Math.Round(acc * samplesPerPatch);
                    negatives += neg * samplesPerPatch;
                    count += samplesPerPatch;
                }
        }
        model.Extractor.train();
        if (count == 0) throw new ArgumentException($"No held-out image is at least {patchSize}×{patchSize}.", nameof(images));
        double meanNeg = negatives / count;
        double chance = model.Head is ContrastivePrediction ? 1 / (1 + meanNeg) : 1.0 / JigsawPuzzle.Permutations.Count;
        return new Accuracy((double)correct / count, chance, count, meanNeg);
    }

    private static (Tensor loss, double accuracy) Score(NeuralStructureExtractor nse, nn.Module head, Tensor batch, int samplesPerMap, Random rng, out double meanNegatives)
    {
        var features = nse.call(batch);
        switch (head)
        {
            case ContrastivePrediction cp:
            {
                var r = cp.Compute(features, samplesPerMap, rng);
                meanNegatives = r.MeanNegatives;
                return (r.Loss, r.Accuracy);
            }
            case JigsawPuzzle jp:
            {
                var r = jp.Compute(features, samplesPerMap, rng);
                meanNegatives = 0;
                return (r.Loss, r.Accuracy);
            }
            default:
                throw new ArgumentException($"Unknown structure-learning head {head.GetName}.", nameof(head));
        }
    }

    private static Tensor RandomPatches(IReadOnlyList<Tensor> images, int batch, int size, Random rng)
    {
        var patches = new Tensor[batch];
        for (int i = 0; i < batch; i++)
        {
            var img = images[rng.Next(images.Count)];
            long y = rng.Next((int)(img.size(1) - size + 1)), x = rng.Next((int)(img.size(2) - size + 1));
            patches[i] = img.narrow(1, y, size).narrow(2, x, size);
        }
        return stack(patches, 0);
    }

    /// <summary>Reads an image file as a 3×H×W float tensor in [0,1] (grey images are repeated to RGB; alpha is dropped).</summary>
    public static Tensor ReadRgb(string path) => PatchSampler.LoadImage(path, ColorSpace.Rgb);

    /// <summary>Every image file of <paramref name="folder"/> (sorted by name) as 3×H×W RGB; a file that cannot be read is an error naming it.</summary>
    public static List<Tensor> ReadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: folder does not exist.");
        var files = PatchSampler.ImageFilesIn(folder);
        if (files.Count == 0) throw new ArgumentException($"{folder}: contains no image files.");
        var images = new List<Tensor>();
        try
        {
            foreach (var f in files) images.Add(ReadRgb(f));
            return images;
        }
        catch
        {
            foreach (var t in images) t.Dispose();
            throw;
        }
    }
}
