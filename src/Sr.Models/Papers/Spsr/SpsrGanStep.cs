// SPSR (Ma et al., CVPR 2020 §4.1): the GAN iteration of SpsrGanTrainer as the step of the shared Trainer loop.
using Sr.Models.Networks;
using Sr.Models.Training;

namespace Sr.Models.Spsr;

/// <summary>
/// <see cref="SpsrGanTrainer.Step"/> as an <see cref="ITrainingStep"/>: G and each discriminator with their own optimizers in
/// one step, the logged loss is the generator's total. A checkpoint (kind <see cref="SpsrGanTrainer.CheckpointKind"/>) holds
/// G, every discriminator, the optimisers' states and the iteration that drives the fusion-only phase and the schedules;
/// the frozen VGG19 and NSE are not in it (the resumed trainer reads them from their files as the first run did).
/// </summary>
public sealed class SpsrGanStep(SpsrGanTrainer trainer, bool ownsTrainer = false) : ITrainingStep
{
    public SpsrGanTrainer Trainer { get; } = trainer ?? throw new ArgumentNullException(nameof(trainer));
    public SrNetwork Network => Trainer.Generator;
    public string CheckpointKind => SpsrGanTrainer.CheckpointKind;
    public string RunDescription => $"an SPSR-{Trainer.Options.Variant} GAN run";
    public long SeedSalt => 0x5B5B;
    public long DefaultSteps => Trainer.Options.Iterations;
    public double LearningRate => Trainer.GeneratorLearningRate;

    /// <summary>As SPSR's own run did: a run that ends before its first iteration does not validate.</summary>
    public bool ValidatesUntrained => false;

    /// <summary>Nothing to do: <see cref="SpsrGanTrainer.Restore"/> sets the iteration and the schedules, and each step the modes.</summary>
    public void Begin(long step)
    {
    }

    public double Optimize(PatchBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (lr, hr) = batch.ToTensors();
        return Trainer.Step(lr, hr).GeneratorTotal;
    }

    public string? NonFiniteWeights() => Trainer.WeightsAreFinite() ? null : "the weights of G or a discriminator are not finite";

    public void SaveCheckpoint(string path, Checkpoint.State state, IReadOnlyDictionary<string, string> metadata) => Trainer.SaveCheckpoint(path, state, metadata);

    public void Restore(Checkpoint checkpoint) => Trainer.Restore(checkpoint);

    /// <summary>Disposes the trainer (its discriminators and optimisers) when this step owns it; the generator belongs to the caller.</summary>
    public void Dispose()
    {
        if (ownsTrainer) Trainer.Dispose();
    }
}
