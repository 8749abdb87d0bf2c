using Sr.Models.Networks;

namespace Sr.Models.Training;

/// <summary>
/// One iteration of a training method and the state it owns (BasicSR's <c>optimize_parameters</c>): the optimizers and
/// schedules, what a checkpoint of the method holds and how it is restored. The <see cref="Trainer"/> loop around it is
/// the same for every method — batches, bounds, validation, log and curves, snapshots, checkpoints, exact resume, NaN stop.
/// Steps: <see cref="ObjectiveStep"/> (one network, one optimizer, an <see cref="ITrainingObjective"/>: pixel loss, RSRNet's
/// synchronous reduction, LSP-HSP's boundary term) and SPSR's GAN step (generator and discriminators, several optimizers).
/// </summary>
public interface ITrainingStep : IDisposable
{
    /// <summary>The network the run produces: validated, snapshotted and saved (the generator of a GAN).</summary>
    SrNetwork Network { get; }

    /// <summary>The <see cref="Checkpoint.Kind"/> this step writes and resumes from.</summary>
    string CheckpointKind { get; }

    /// <summary>The run in words, for a checkpoint of another kind (e.g. "an SPSR-G GAN run").</summary>
    string RunDescription { get; }

    /// <summary>Mixed into the per-step libtorch seed (with the run's seed and the step), so a resumed run needs no generator state.</summary>
    long SeedSalt { get; }

    /// <summary>The step bound of a run given neither steps nor a time budget (the paper's schedule).</summary>
    long DefaultSteps { get; }

    /// <summary>The learning rate the log and progress show (the first group of the first optimizer).</summary>
    double LearningRate { get; }

    /// <summary>
    /// Whether a run that ends (not cancelled) before its first step still validates. The single-network loop always did;
    /// SPSR's GAN run did not (nothing trained yet): kept as each was.
    /// </summary>
    bool ValidatesUntrained => true;

    /// <summary>Called once before the first step with the step the run starts from (0, or the resumed step).</summary>
    void Begin(long step);

    /// <summary>
    /// Trains on one batch (inside the loop's dispose scope, libtorch already reseeded) and returns the loss the log records.
    /// A non-finite loss or gradient throws <see cref="TrainingDivergedException"/>; the loop adds the step and the last good checkpoint.
    /// </summary>
    double Optimize(PatchBatch batch);

    /// <summary>Null when every trained weight is finite, else what is not (a diverged state is never saved).</summary>
    string? NonFiniteWeights();

    /// <summary>Writes a checkpoint of <see cref="CheckpointKind"/> (temporary file + rename).</summary>
    void SaveCheckpoint(string path, Checkpoint.State state, IReadOnlyDictionary<string, string> metadata);

    /// <summary>Loads a checkpoint of <see cref="CheckpointKind"/> (its kind and position already checked).</summary>
    void Restore(Checkpoint checkpoint);
}
