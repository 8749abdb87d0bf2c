using Sr.Models.Registry;
using Sr.Models.Training;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

[CollectionDefinition(nameof(TrainingMemoryTests), DisableParallelization = true)]
public class TrainingMemoryCollection;

/// <summary>Counts live native tensors, so it runs alone (other tests would move the count).</summary>
[Collection(nameof(TrainingMemoryTests))]
public class TrainingMemoryTests
{
    [Fact]
    public void Training_steps_leave_no_native_tensor_behind()
    {
        var sampler = TrainingFixtures.Sampler();
        using var net = TrainingFixtures.Net();
        var options = new TrainingOptions { Recipe = new TrainingRecipe { GradClipNorm = 0.5, BatchSize = 4, HrPatchSize = 16 }, MaxSteps = 3, LogEvery = 1 };
        new Trainer(net, sampler, options).Run(); // warm-up: lazily created state settles
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = LiveTensorCount;
        new Trainer(net, sampler, options with { MaxSteps = 40 }).Run();
        long after = LiveTensorCount; // no GC here: a tensor left to the finalizer would still count
        Assert.Equal(before, after);
    }
}
