using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

/// <summary>StructureLearning.Train's run control (steps, time budget, cancellation, NaN) and that the jigsaw wiring can learn.</summary>
public class StructureLearningRunTests
{
    private static List<Tensor> Noise(int count, int size, ulong seed = 3)
    {
        manual_seed(seed);
        return [.. Enumerable.Range(0, count).Select(_ => rand(3, size, size))];
    }

    private static StructureLearningOptions Tiny(StructureLearningTask task, int steps) =>
        new() { Task = task, Steps = steps, BatchSize = 2, PatchSize = 64, SamplesPerMap = 4, LearningRate = 1e-3 };

    [Theory]
    [InlineData(StructureLearningTask.ContrastivePrediction)]
    [InlineData(StructureLearningTask.Jigsaw)]
    public void A_run_ends_at_its_step_bound_its_time_budget_or_on_cancellation_and_returns_what_it_trained(StructureLearningTask task)
    {
        var images = Noise(2, 80);
        using (var full = StructureLearning.Train(images, Tiny(task, 3)))
        {
            Assert.Equal((3, TrainingStopReason.StepsReached), (full.Steps, full.StopReason));
        }
        using (var timed = StructureLearning.Train(images, Tiny(task, 1000) with { MaxDuration = TimeSpan.Zero }))
        {
            Assert.Equal((0, TrainingStopReason.TimeBudgetSpent), (timed.Steps, timed.StopReason));
        }
        using var cts = new CancellationTokenSource();
        int reports = 0;
        var progress = new Inline(p => { if (++reports == 2) cts.Cancel(); });
        using var cancelled = StructureLearning.Train(images, Tiny(task, 40), progress, cts.Token);
        Assert.Equal(TrainingStopReason.Cancelled, cancelled.StopReason);
        Assert.Equal(4, cancelled.Steps); // reports come every 40 / 20 = 2 steps: cancelled after the second, at step 4
        foreach (var t in images) t.Dispose();
    }

    [Fact]
    public void A_nan_loss_stops_with_an_error_naming_the_step()
    {
        var images = Noise(1, 80);
        images[0].fill_(double.NaN);
        var e = Assert.Throws<TrainingDivergedException>(() => StructureLearning.Train(images, Tiny(StructureLearningTask.Jigsaw, 5)));
        Assert.Equal(1, e.Step);
        Assert.Contains("Jigsaw loss is NaN", e.Message);
        images[0].Dispose();
    }

    [Fact]
    public void Jigsaw_learns_far_beyond_chance_when_position_is_visible()
    {
        // Red ramps left → right and green top → bottom, so each piece's colour says where it sits relative to the others:
        // a correct wiring (pieces, permutation labels, classifier) must learn this quickly; a scrambled label cannot.
        var images = new List<Tensor>();
        for (int i = 0; i < 4; i++)
        {
            using var scope = NewDisposeScope();
            var x = linspace(0, 1, 96).reshape(1, 96).expand(96, 96);
            var y = linspace(0, 1, 96).reshape(96, 1).expand(96, 96);
            images.Add(stack([x, y, full([96, 96], 0.5 * i / 4.0)], 0).contiguous().MoveToOuterDisposeScope());
        }
        var options = new StructureLearningOptions { Task = StructureLearningTask.Jigsaw, Steps = 150, BatchSize = 4, PatchSize = 48, SamplesPerMap = 16, LearningRate = 1e-3, Seed = 2 };
        using var trained = StructureLearning.Train(images, options);
        var accuracy = StructureLearning.Evaluate(trained, images, 48, 16);
        Assert.True(accuracy.Top1 > 0.5, $"top-1 {accuracy.Top1:P1} (chance {accuracy.Chance:P1})");
        foreach (var t in images) t.Dispose();
    }

    private sealed class Inline(Action<StructureLearning.Progress> report) : IProgress<StructureLearning.Progress>
    {
        public void Report(StructureLearning.Progress value) => report(value);
    }
}
