using Sr.Models.Networks.Spsr;
using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Torch;
using Sr.Torch.Serialization;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

/// <summary>Checkpoints and exact resume of SPSR GAN runs (<see cref="SpsrTrainingRun"/>), on a tiny SPSR-G.</summary>
public class SpsrCheckpointTests
{
    /// <summary>
    /// Tiny SPSR-G (no perceptual term, so no VGG19): iterations 1–2 train only the fusion block, and the learning rates
    /// halve from iteration 3 on, so a resume at step 1 or 2 has to restore both the phase and the schedule.
    /// </summary>
    private static SpsrOptions Options(double gradientGanWeight = 5e-3) => new()
    {
        Variant = SpsrVariant.G, Scale = 4, Features = 8, Blocks = 1, Growth = 4, DiscriminatorFeatures = 8,
        FeatureWeight = 0, GradientGanWeight = gradientGanWeight, BranchPretrain = true, BranchInitIterations = 3,
        LearningRateG = 1e-3, LearningRateD = 1e-3, LrMilestones = [3], LrGamma = 0.5, BatchSize = 1, HrPatchSize = 128,
    };

    private static readonly string[] SpsrGParts = ["d_grad", "d_img", "g", "opt_d_grad", "opt_d_img", "opt_g"];

    /// <summary>Two RGB noise images; batches of one 128-px HR patch (the VGG-128 discriminators' input).</summary>
    private static PatchSampler Sampler(long seed = 5)
    {
        manual_seed(17);
        var images = new List<Tensor> { rand(3, 144, 160), rand(3, 160, 144) };
        try
        {
            return PatchSampler.FromImages(images, 4, new TrainingBoxDegradation(), new PatchSamplerOptions { BatchSize = 1, HrPatchSize = 128, Seed = seed });
        }
        finally
        {
            foreach (var t in images) t.Dispose();
        }
    }

    /// <summary>A generator and its GAN trainer (with D_I and D_GM) built from one seed.</summary>
    private sealed class Gan : IDisposable
    {
        public Gan(ulong seed, SpsrOptions? options = null)
        {
            manual_seed(seed);
            G = new SpsrNet(4, nf: 8, nb: 1, gc: 4);
            Trainer = new SpsrGanTrainer(options ?? Options(), G, null);
        }

        public SpsrNet G { get; }
        public SpsrGanTrainer Trainer { get; }

        /// <summary>G and each discriminator, by the names of their states in a checkpoint.</summary>
        public List<(string Name, nn.Module Network)> Networks
        {
            get
            {
                var networks = new List<(string Name, nn.Module Network)> { ("g", G) };
                if (Trainer.ImageDiscriminator is { } di) networks.Add(("d_img", di));
                if (Trainer.GradientDiscriminator is { } dg) networks.Add(("d_grad", dg));
                return networks;
            }
        }

        public void Dispose()
        {
            Trainer.Dispose();
            G.Dispose();
        }
    }

    private static TrainingResult Run(Gan gan, long steps, string? checkpoint = null, string? resume = null, PatchSampler? data = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default, IReadOnlyDictionary<string, string>? metadata = null) =>
        SpsrTrainingRun.Run(gan.Trainer, data ?? Sampler(), new TrainingOptions
        {
            Recipe = Options().ToRecipe(), MaxSteps = steps, Seed = 9, CheckpointPath = checkpoint, ResumeFrom = resume, LogEvery = 1,
            CheckpointMetadata = metadata ?? new Dictionary<string, string>(),
        }, progress, cancel);

    private static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.@double().sub(b.@double()).abs().max().item<double>();
    }

    [Theory]
    [InlineData(1)] // stopped inside the fusion-only phase
    [InlineData(2)] // stopped at its last step: the resumed run opens the full phase and the halved learning rate
    public void A_gan_run_resumed_at_step_k_ends_with_the_g_and_d_weights_of_an_uninterrupted_run_bit_for_bit(int k)
    {
        const int n = 4;
        var dir = TrainingFixtures.TempDir();
        var ckpt = Path.Combine(dir, "spsr.ckpt");
        // One sampler and one start for both runs, whatever other tests running in parallel do to the global generator.
        var data = Sampler();
        using var reference = new Gan(seed: 1);
        using var interrupted = new Gan(seed: 1);
        foreach (var ((_, source), (_, target)) in reference.Networks.Zip(interrupted.Networks)) target.load_state_dict(source.state_dict());
        using var resumed = new Gan(seed: 2); // other initial weights: the checkpoint must replace every one of them
        var initialG = TrainingFixtures.Snapshot(reference.G);

        Assert.Equal(n, Run(reference, n, data: data).Step);
        Assert.Equal(k, Run(interrupted, k, checkpoint: ckpt, data: data).Step);
        var second = Run(resumed, n, checkpoint: ckpt, resume: ckpt, data: data);

        Assert.Equal(n, second.Step);
        Assert.Equal(n, resumed.Trainer.Iteration);
        Assert.Equal(reference.Trainer.GeneratorLearningRate, resumed.Trainer.GeneratorLearningRate);
        var finalG = TrainingFixtures.Snapshot(reference.G);
        Assert.Contains(initialG, p => !p.Value.SequenceEqual(finalG[p.Key])); // the run did train
        var expected = reference.Networks.ToDictionary(p => p.Name, p => p.Network.state_dict());
        foreach (var (name, network) in resumed.Networks)
        {
            var actual = network.state_dict();
            Assert.Equal(expected[name].Keys.Order(), actual.Keys.Order());
            foreach (var (key, value) in expected[name])
                Assert.True(MaxAbsDiff(value, actual[key]) == 0, $"{name}.{key} differs after resuming at step {k}");
        }
        using var saved = Checkpoint.Load(ckpt);
        Assert.Equal(n, saved.Step);
    }

    [Fact]
    public void Cancellation_writes_a_gan_checkpoint_of_g_every_d_their_optimisers_and_the_iteration_then_stops()
    {
        var dir = TrainingFixtures.TempDir();
        var ckpt = Path.Combine(dir, "spsr.ckpt");
        using var gan = new Gan(seed: 3);
        using var cts = new CancellationTokenSource();
        var progress = new TrainingSyncProgress(p => { if (p.Event == "train" && p.Step == 2) cts.Cancel(); });
        var result = Run(gan, 1000, checkpoint: ckpt, progress: progress, cancel: cts.Token, metadata: new Dictionary<string, string> { ["model"] = "spsr-g" });

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(2, result.Step);
        Assert.Equal(ckpt, result.CheckpointPath);
        using var saved = Checkpoint.Load(ckpt);
        Assert.Equal(SpsrGanTrainer.CheckpointKind, saved.Kind);
        Assert.Equal((2L, 2L), (saved.Step, saved.NextBatch));
        Assert.Equal("2", saved.Metadata["spsr_iteration"]);
        Assert.Equal("spsr-g", saved.Metadata["model"]);
        Assert.Equal(SpsrGParts, saved.PartNames.Order(StringComparer.Ordinal));
        Assert.Empty(saved.ModelState); // not a single-network checkpoint
        foreach (var (name, network) in gan.Networks)
            foreach (var (key, value) in network.state_dict())
                Assert.True(MaxAbsDiff(value, saved.Part(name)[key]) == 0, $"{name}.{key} is not what the run had at cancellation");
        Assert.Equal(2, saved.Part("opt_g")["step"].item<long>());
        Assert.Contains("state.0.0.exp_avg", saved.Part("opt_d_img").Keys);
        Assert.Empty(Directory.GetFiles(dir, "*sr-tmp-*"));
    }

    [Fact]
    public void A_nan_stops_the_gan_run_naming_the_step_and_keeps_the_last_good_checkpoint()
    {
        var dir = TrainingFixtures.TempDir();
        var ckpt = Path.Combine(dir, "spsr.ckpt");
        using var gan = new Gan(seed: 4);
        // After step 3 (a checkpoint was written at step 2) a generator weight turns NaN: step 4's loss is NaN.
        var progress = new TrainingSyncProgress(p =>
        {
            if (p.Event == "train" && p.Step == 3)
                using (no_grad()) gan.G.parameters().First(w => w.requires_grad).fill_(double.NaN);
        });
        var options = new TrainingOptions { Recipe = Options().ToRecipe(), MaxSteps = 10, Seed = 9, CheckpointPath = ckpt, CheckpointEvery = 2, LogEvery = 1 };
        var e = Assert.Throws<TrainingDivergedException>(() => SpsrTrainingRun.Run(gan.Trainer, Sampler(), options, progress));

        Assert.Equal(4, e.Step);
        Assert.Equal(2, e.LastGoodStep);
        Assert.Equal(ckpt, e.LastGoodCheckpoint);
        Assert.Contains("step 4", e.Message);
        Assert.Contains("generator loss is NaN", e.Message);
        using var saved = Checkpoint.Load(ckpt);
        Assert.Equal(2, saved.Step);
        foreach (var part in saved.PartNames)
            foreach (var (name, t) in saved.Part(part))
                Assert.True(t.isfinite().all().item<bool>(), $"{part}.{name} is not finite in the kept checkpoint");
    }

    [Fact]
    public void A_trainer_checkpoint_is_refused_by_a_gan_run_and_a_gan_checkpoint_by_the_trainer_naming_the_file()
    {
        var dir = TrainingFixtures.TempDir();
        var single = Path.Combine(dir, "srcnn.ckpt");
        var gan = Path.Combine(dir, "spsr.ckpt");
        using (var net = TrainingFixtures.Net())
            new Trainer(net, TrainingFixtures.Sampler(), new TrainingOptions { Recipe = new Registry.TrainingRecipe { BatchSize = 4, HrPatchSize = 16 }, MaxSteps = 1, CheckpointPath = single }).Run();
        using (var first = new Gan(seed: 5)) Run(first, 1, checkpoint: gan);

        using (var g = new Gan(seed: 5))
        {
            var e = Assert.Throws<WeightsFormatException>(() => Run(g, 2, resume: single));
            Assert.Contains(single, e.Message);
            Assert.Contains("single-network training run", e.Message);
            Assert.Equal(0, g.Trainer.Iteration);
        }
        using (var net = TrainingFixtures.Net())
        {
            var trainer = new Trainer(net, TrainingFixtures.Sampler(), new TrainingOptions { Recipe = new Registry.TrainingRecipe { BatchSize = 4, HrPatchSize = 16 }, MaxSteps = 2, ResumeFrom = gan });
            var e = Assert.Throws<WeightsFormatException>(() => trainer.Run());
            Assert.Contains(gan, e.Message);
            Assert.Contains("'spsr-gan'", e.Message);
        }
        // A run with another set of discriminators (no gradient GAN term: no D_GM) cannot take this checkpoint either.
        using (var noGradientD = new Gan(seed: 5, Options(gradientGanWeight: 0)))
        {
            var e = Assert.Throws<WeightsFormatException>(() => Run(noGradientD, 2, resume: gan));
            Assert.Contains(gan, e.Message);
            Assert.Contains("d_grad", e.Message);
        }
    }
}
