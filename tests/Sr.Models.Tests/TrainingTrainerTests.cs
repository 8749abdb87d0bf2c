using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Tests;

public class TrainingTrainerTests
{
    private static readonly TrainingRecipe Recipe = new()
    {
        Loss = LossKind.L1,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 3e-3,
        LrMilestones = [6],
        LrGamma = 0.5,
        GradClipNorm = 1.0,
        BatchSize = 4,
        HrPatchSize = 16,
    };

    private static double LossOn(SrNetwork net, PatchBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (lr, hr) = batch.ToTensors();
        return F.l1_loss(net.forward(lr), hr).item<double>();
    }

    [Fact]
    public void A_few_steps_lower_the_loss()
    {
        var sampler = TrainingFixtures.Sampler();
        using var net = TrainingFixtures.Net();
        var held = sampler.GetBatch(1000); // a batch the run never trains on
        double before = LossOn(net, held);
        var result = new Trainer(net, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 30 }).Run();
        double after = LossOn(net, held);
        Assert.Equal(30, result.Step);
        Assert.Equal(TrainingStopReason.StepsReached, result.StopReason);
        Assert.True(after < before, $"held-out L1 went from {before} to {after}");
    }

    [Fact]
    public void Resuming_from_step_k_gives_the_same_weights_at_step_n_as_an_uninterrupted_run_bit_for_bit()
    {
        var dir = TrainingFixtures.TempDir();
        var sampler = TrainingFixtures.Sampler();
        using var reference = TrainingFixtures.Net();
        using var interrupted = TrainingFixtures.Net(seed: 99);
        interrupted.load_state_dict(reference.state_dict()); // same start, whatever other tests do to the global generator
        using var fresh = TrainingFixtures.Net(seed: 12345); // deliberately different weights: the checkpoint must replace them all

        // n = 10 crosses the learning-rate milestone at 6 and uses clipping, so schedule and optimizer state are both exercised.
        new Trainer(reference, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 10 }).Run();
        var ckpt = Path.Combine(dir, "run.ckpt");
        var first = new Trainer(interrupted, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 4, CheckpointPath = ckpt }).Run();
        Assert.Equal(4, first.Step);
        var second = new Trainer(fresh, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 10, CheckpointPath = ckpt, ResumeFrom = ckpt }).Run();
        Assert.Equal(10, second.Step);

        var expected = TrainingFixtures.Snapshot(reference);
        var actual = TrainingFixtures.Snapshot(fresh);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected) Assert.True(values.SequenceEqual(actual[name]), $"{name} differs after resume");
    }

    [Fact]
    public void A_nan_in_a_batch_stops_training_naming_the_step_and_keeps_the_last_good_checkpoint()
    {
        var dir = TrainingFixtures.TempDir();
        var ckpt = Path.Combine(dir, "run.ckpt");
        var sampler = TrainingFixtures.Sampler();
        using var net = TrainingFixtures.Net();
        var objective = new NanAtCall(7);
        var trainer = new Trainer(net, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 20, CheckpointPath = ckpt, CheckpointEvery = 5 }, objective);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Equal(7, e.Step);
        Assert.Equal(5, e.LastGoodStep);
        Assert.Equal(ckpt, e.LastGoodCheckpoint);
        Assert.Contains("step 7", e.Message);
        using var saved = Checkpoint.Load(ckpt);
        Assert.Equal(5, saved.Step);
        foreach (var (name, t) in saved.ModelState) Assert.True(t.isfinite().all().item<bool>(), $"{name} is not finite in the kept checkpoint");
        foreach (var p in net.parameters()) Assert.True(p.isfinite().all().item<bool>(), "the NaN step must not update the weights");
    }

    /// <summary>Poisons the LR batch of the n-th step with NaN.</summary>
    private sealed class NanAtCall(int n) : ITrainingObjective
    {
        private int _calls;
        public Tensor Loss(SrNetwork network, Tensor lr, Tensor hr)
        {
            if (++_calls == n) lr = lr * double.NaN;
            return F.l1_loss(network.forward(lr), hr);
        }
    }

    [Fact]
    public void Cancellation_writes_a_checkpoint_then_stops()
    {
        var dir = TrainingFixtures.TempDir();
        var ckpt = Path.Combine(dir, "run.ckpt");
        var sampler = TrainingFixtures.Sampler();
        using var net = TrainingFixtures.Net();
        using var cts = new CancellationTokenSource();
        var progress = new TrainingSyncProgress(p => { if (p.Event == "train" && p.Step == 3) cts.Cancel(); });
        var result = new Trainer(net, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 1000, CheckpointPath = ckpt, LogEvery = 1 }).Run(progress, cts.Token);
        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(3, result.Step);
        using var saved = Checkpoint.Load(ckpt);
        Assert.Equal(3, saved.Step);
        Assert.Equal(3, saved.NextBatch);
        var weights = TrainingFixtures.Snapshot(net);
        foreach (var (name, t) in saved.ModelState) Assert.Equal(weights[name], t.data<float>());
    }

    [Fact]
    public void Validation_runs_every_n_steps_and_the_log_csv_and_curves_png_are_written()
    {
        var dir = TrainingFixtures.TempDir();
        var sampler = TrainingFixtures.Sampler(new TrainingTorchBicubic());
        var images = TrainingFixtures.SmoothImages(2, 32, seed: 21);
        using var validation = ValidationSet.FromImages(images, 2, new TrainingTorchBicubic());
        foreach (var t in images) t.Dispose();
        using var net = TrainingFixtures.Net();
        var validatedAt = new List<long>();
        var options = new TrainingOptions
        {
            Recipe = Recipe,
            MaxSteps = 12,
            ValidateEvery = 5,
            Validate = n => validation.Evaluate(n),
            LogEvery = 2,
            LogCsvPath = Path.Combine(dir, "m.log.csv"),
            CurvesPngPath = Path.Combine(dir, "m.curves.png"),
            CurvesRenderer = new MarkerCurves(), // the science layer draws nothing itself (#18): the trainer hands the rows to its renderer
        };
        var result = new Trainer(net, sampler, options).Run(new TrainingSyncProgress(p => { if (p.Event == "validate") validatedAt.Add(p.Step); }));
        Assert.Equal(new long[] { 5, 10, 12 }, validatedAt);
        Assert.NotNull(result.LastValidation);
        Assert.InRange(result.LastValidation!.Psnr, 10, 60);
        var lines = File.ReadAllLines(options.LogCsvPath);
        Assert.Equal(TrainingLog.Header, lines[0]);
        Assert.Equal(6 + 3, lines.Length - 1); // a loss row every 2 steps and 3 validation rows
        Assert.True(File.Exists(options.CurvesPngPath));
        Assert.Empty(Directory.GetFiles(dir, "*sr-tmp-*"));
    }

    [Fact]
    public void The_learning_rate_follows_the_multistep_schedule_and_survives_a_resume()
    {
        var dir = TrainingFixtures.TempDir();
        var ckpt = Path.Combine(dir, "run.ckpt");
        var sampler = TrainingFixtures.Sampler();
        using var net = TrainingFixtures.Net();
        var rates = new Dictionary<long, double>();
        var progress = new TrainingSyncProgress(p => { if (p.Event == "train") rates[p.Step] = p.LearningRate; });
        new Trainer(net, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 4, CheckpointPath = ckpt, LogEvery = 1 }).Run(progress);
        new Trainer(net, sampler, new TrainingOptions { Recipe = Recipe, MaxSteps = 8, ResumeFrom = ckpt, LogEvery = 1 }).Run(progress);
        Assert.Equal(3e-3, rates[5], 12);   // after 5 steps: milestone 6 not reached
        Assert.Equal(1.5e-3, rates[6], 12); // after 6 steps: halved
        Assert.Equal(1.5e-3, rates[8], 12);
    }

    [Fact]
    public void Resuming_with_another_sampler_seed_is_refused()
    {
        var dir = TrainingFixtures.TempDir();
        var ckpt = Path.Combine(dir, "run.ckpt");
        using var net = TrainingFixtures.Net();
        new Trainer(net, TrainingFixtures.Sampler(seed: 3), new TrainingOptions { Recipe = Recipe, MaxSteps = 2, CheckpointPath = ckpt }).Run();
        var other = new Trainer(net, TrainingFixtures.Sampler(seed: 4), new TrainingOptions { Recipe = Recipe, MaxSteps = 4, ResumeFrom = ckpt });
        Assert.Contains("seed 3", Assert.Throws<ArgumentException>(() => other.Run()).Message);
    }

    /// <summary>Writes a placeholder file where the curves go, so the test sees that and when the loop asks for them.</summary>
    private sealed class MarkerCurves : ICurvesRenderer
    {
        public void WritePng(string path, IReadOnlyList<TrainingLog.Row> rows) => File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G']);
    }
}
