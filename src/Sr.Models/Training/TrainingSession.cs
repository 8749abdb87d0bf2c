using System.Globalization;
using System.Text.Json.Nodes;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Networks.Spsr;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>
/// One training run of a registered network, as `sr train` and the pipeline's SuperResolve both run it, in the order of
/// its stages: the network (seeded, options checked) → optional starting weights → the step of the model's
/// <see cref="ModelInfo.Training"/> method (<see cref="PrepareStep"/>) → the data (<see cref="LoadFolder"/>: HR images and a
/// degradation, or <see cref="UsePairs"/>: ready LR/HR pairs) → an optional validation set → <see cref="Run"/> in the
/// shared <see cref="Trainer"/> loop (checkpoints, resume, log and curves, divergence) → <see cref="SaveModel"/>.
/// The caller prints or logs between the stages; the session owns the network (until <see cref="DetachNetwork"/>),
/// the step and the validation set.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private SrNetwork? _network;
    private ITrainingStep? _step;

    /// <summary>
    /// Seeds libtorch with <paramref name="seed"/> and builds the network, checking its options' ranges and parameter budget
    /// first (<see cref="ModelLimits"/>); an <see cref="ArgumentException"/> names a bad option.
    /// </summary>
    public TrainingSession(ModelInfo model, int scale, JsonObject? networkOptions, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Scale = scale;
        NetworkOptions = networkOptions;
        Seed = seed;
        torch.manual_seed((ulong)seed);
        // Ranges and the parameter budget first: a few characters of JSON can otherwise ask libtorch for gigabytes.
        ModelLimits.Check(model.Name, scale, networkOptions);
        _network = model.Create(scale, networkOptions);
        _network.RegistryName = model.Name;
        _network.RegistryOptions = networkOptions;
    }

    public ModelInfo Model { get; }
    public int Scale { get; }
    public JsonObject? NetworkOptions { get; }
    public long Seed { get; }

    /// <summary>The network being trained.</summary>
    public SrNetwork Network => _network ?? throw new InvalidOperationException("The network has been detached from this training session.");

    /// <summary>SPSR's GAN trainer (discriminators, weights) once <see cref="PrepareStep"/> made it; null for the objective method.</summary>
    public SpsrGanTrainer? Gan => (_step as SpsrGanStep)?.Trainer;

    /// <summary>Whether the network regresses boundary maps (LSP-HSP with α &gt; 0), so boundary files feed its loss.</summary>
    public bool UsesBoundaries => Network is IBoundaryNetwork { BoundaryWeight: > 0 };

    /// <summary>The training patches, once <see cref="LoadFolder"/> or <see cref="UsePairs"/> made them.</summary>
    public PatchSampler? Data { get; private set; }

    /// <summary>The validation images, once <see cref="LoadValidation"/> read them.</summary>
    public ValidationSet? Validation { get; private set; }

    /// <summary>
    /// Starts from the weights of a model file of the same network and scale (or, partially by name and shape, of the model's
    /// <see cref="ModelInfo.InitializesFrom"/>); returns how many of the network's tensors it set, of how many, and the file's model.
    /// </summary>
    public (int Copied, int Total, string From) InitializeFrom(string modelFile)
    {
        ArgumentNullException.ThrowIfNull(modelFile);
        using var initial = ModelFile.Read(modelFile);
        int copied = initial.InitializeWeights(Network, Model, Scale, partialFrom: Model.InitializesFrom);
        return (copied, Network.state_dict().Count, initial.ModelName);
    }

    /// <summary>
    /// Builds the step of the model's <see cref="ModelInfo.Training"/> method. <see cref="TrainingMethod.SpsrGan"/> takes its
    /// settings (<see cref="SpsrModels.TrainingOptions"/> when null) and reads VGG19/NSE from their files here, failing
    /// at once, naming a missing file; the objective method makes its optimizer when the run starts and takes no settings.
    /// </summary>
    public void PrepareStep(SpsrOptions? ganSettings = null)
    {
        if (Model.Training != TrainingMethod.SpsrGan)
        {
            if (ganSettings is not null) throw new ArgumentException($"'{Model.Name}' does not train adversarially: GAN settings do not apply.", nameof(ganSettings));
            return;
        }
        var settings = ganSettings ?? SpsrModels.TrainingOptions(Model.Name, Scale, NetworkOptions);
        _step?.Dispose();
        _step = new SpsrGanStep(SpsrGanTrainer.Create(settings, (SpsrNet)Network), ownsTrainer: true);
    }

    /// <summary>HR images of a folder (sorted by name), degraded to LR by <paramref name="degradation"/>, in the model's colour space.</summary>
    public PatchSampler LoadFolder(string folder, IDegradation degradation, PatchSamplerOptions options) =>
        Data = PatchSampler.FromFolder(folder, Scale, Model.ColorSpace, degradation, options);

    /// <summary>Ready LR/HR pairs (C×h×w and C×sh×sw in [0,1]), cut as they are; nothing is degraded again.</summary>
    public PatchSampler UsePairs(IReadOnlyList<Tensor> hr, IReadOnlyList<Tensor> lr, PatchSamplerOptions options, IReadOnlyList<string>? names = null) =>
        Data = PatchSampler.FromPairs(hr, lr, Scale, options, names: names);

    /// <summary>The first <paramref name="count"/> images of a folder (sorted by name), degraded as the training data.</summary>
    public ValidationSet LoadValidation(string folder, IDegradation degradation, int count)
    {
        Validation?.Dispose();
        return Validation = ValidationSet.FromFolder(folder, Scale, degradation, count);
    }

    /// <summary>
    /// Trains on <see cref="Data"/> in the shared loop with the prepared step. The validation set, when loaded, is what
    /// <paramref name="options"/> validates on; without one (and without a <see cref="TrainingOptions.Validate"/> of the
    /// caller's) nothing is validated. A non-finite loss throws <see cref="TrainingDivergedException"/> (the last good
    /// checkpoint stays); cancellation writes a checkpoint and returns <see cref="TrainingStopReason.Cancelled"/>.
    /// </summary>
    public TrainingResult Run(TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = Data ?? throw new InvalidOperationException("Load the training data (LoadFolder or UsePairs) before Run.");
        if (Validation is { } validation) options = options with { Validate = validation.Evaluate };
        else if (options.Validate is null) options = options with { ValidateEvery = 0 };
        if (_step is null && Model.Training != TrainingMethod.Objective)
            throw new InvalidOperationException($"'{Model.Name}' trains by {Model.Training}: call PrepareStep before Run.");
        var trainer = _step is null ? new Trainer(Network, data, options) : new Trainer(_step, data, options);
        return trainer.Run(progress, cancellationToken);
    }

    /// <summary>
    /// The <see cref="TrainingOptions.Snapshot"/> hook that saves the network as a model file at each snapshot time
    /// (<see cref="TrainingFiles.Snapshot"/>), for quality-versus-time curves: <paramref name="metadata"/> (less the options,
    /// which the file stores itself), the step and the minutes into the run.
    /// </summary>
    public Action<SrNetwork, long, TimeSpan> SnapshotWriter(TrainingFiles files, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(metadata);
        return (network, step, at) =>
        {
            var m = at.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
            var facts = new Dictionary<string, string>(metadata) { ["steps"] = step.ToString(CultureInfo.InvariantCulture), ["training_minutes"] = m };
            facts.Remove("options");
            ModelFile.Save(files.Snapshot(m), network, Model.Name, NetworkOptions, facts);
        };
    }

    /// <summary>
    /// Writes the trained network as a model file with <paramref name="metadata"/> (less the options) and what the run did:
    /// steps, seed, the whole run's training time across resumes and this session's part, threads, the last loss and validation.
    /// </summary>
    public void SaveModel(string path, TrainingResult result, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(metadata);
        var facts = new Dictionary<string, string>(metadata)
        {
            ["steps"] = result.Step.ToString(CultureInfo.InvariantCulture),
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            // The whole run's time, across resumes; this session's part separately.
            ["training_minutes"] = result.TotalElapsed.TotalMinutes.ToString("F2", CultureInfo.InvariantCulture),
            ["training_minutes_this_session"] = result.Elapsed.TotalMinutes.ToString("F2", CultureInfo.InvariantCulture),
            ["threads"] = torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
            ["final_loss"] = result.LastLoss.ToString("G6", CultureInfo.InvariantCulture),
        };
        facts.Remove("options");
        if (result.LastValidation is { } last)
        {
            facts["val_psnr"] = last.Psnr.ToString("F4", CultureInfo.InvariantCulture);
            facts["val_protocol"] = last.Protocol;
        }
        ModelFile.Save(path, Network, Model.Name, NetworkOptions, facts);
    }

    /// <summary>Hands the network to the caller (in eval mode), who then owns it; the session no longer disposes it.</summary>
    public SrNetwork DetachNetwork()
    {
        var network = Network;
        network.eval();
        _network = null;
        return network;
    }

    public void Dispose()
    {
        _step?.Dispose();
        Validation?.Dispose();
        _network?.Dispose();
        _network = null;
    }
}
