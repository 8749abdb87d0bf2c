// SPSR (Ma et al., CVPR 2020 §4.1): what an SPSR GAN checkpoint holds, and how a run continues from one exactly.
using System.Globalization;
using Sr.Models.Training;
using Sr.Torch.Serialization;

namespace Sr.Models.Spsr;

public sealed partial class SpsrGanTrainer
{
    /// <summary>
    /// Writes a checkpoint of kind <see cref="CheckpointKind"/> (temporary file + rename): G, each discriminator, each
    /// optimiser's state (Adam moments and step counts, learning rates) and <see cref="Iteration"/>, with
    /// <paramref name="state"/> and <paramref name="metadata"/>. The frozen VGG19 and NSE are not stored: they come from their files.
    /// </summary>
    public void SaveCheckpoint(string path, Checkpoint.State state, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(state);
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["spsr_iteration"] = Iteration.ToString(CultureInfo.InvariantCulture),
            ["spsr_variant"] = Options.Variant.ToString(),
        };
        var trained = Trained().ToList();
        Checkpoint.Save(path, CheckpointKind, trained.Select(t => (t.Name, t.Network)).ToList(),
            trained.Select(t => (OptimizerPrefix + t.Name, t.Optimizer)).ToList(), state, meta);
    }

    /// <summary>
    /// Loads what <see cref="SaveCheckpoint"/> wrote into this trainer's networks and optimisers and continues the iteration
    /// count and the schedules from it. Throws <see cref="WeightsFormatException"/> naming the file when it is not an SPSR GAN
    /// checkpoint or when its networks do not fit this trainer (another variant, size or set of discriminators).
    /// </summary>
    public void Restore(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.RequireKind(CheckpointKind, $"an SPSR-{Options.Variant} GAN run");
        var trained = Trained().ToList();
        var expected = trained.SelectMany(t => new[] { t.Name, OptimizerPrefix + t.Name }).Order(StringComparer.Ordinal).ToList();
        var stored = checkpoint.PartNames.Order(StringComparer.Ordinal).ToList();
        if (!expected.SequenceEqual(stored))
            throw new WeightsFormatException(checkpoint.Path, $"holds the states {string.Join(", ", stored)}, but this SPSR-{Options.Variant} run trains {string.Join(", ", expected)} " +
                "(a GAN weight of 0 removes its discriminator): resume with the checkpoint's SPSR settings");
        if (!checkpoint.Metadata.TryGetValue("spsr_iteration", out var itText) || !int.TryParse(itText, NumberStyles.None, CultureInfo.InvariantCulture, out int iteration))
            throw new WeightsFormatException(checkpoint.Path, "SPSR GAN checkpoint has no valid 'spsr_iteration' entry");
        foreach (var (name, network, optimizer) in trained)
        {
            try
            {
                network.load_state_dict(checkpoint.Part(name), strict: true);
                optimizer.load_state_dict(checkpoint.Part(OptimizerPrefix + name));
            }
            catch (ArgumentException e)
            {
                throw new WeightsFormatException(checkpoint.Path, $"its '{name}' state does not fit this SPSR-{Options.Variant} run: {e.Message}", e);
            }
        }
        Iteration = iteration;
        foreach (var s in _schedulers) s.SetEpoch(iteration);
        _fusionOnlyApplied = null; // the next step sets which generator parameters train
    }
}
