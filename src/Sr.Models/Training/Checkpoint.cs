using System.Globalization;
using Sr.Torch;
using Sr.Torch.io;
using Sr.Torch.Serialization;

namespace Sr.Models.Training;

/// <summary>
/// A training checkpoint: named state dicts, each stored under its name as a key prefix — for a <see cref="Trainer"/> run
/// the network ("model.*") and its optimizer ("optim.*"); for a GAN run each network and each optimizer ("g.*", "d_img.*",
/// "opt_g.*" …) — and the run's position (step, seeds, next batch index, elapsed time, caller metadata), in one
/// safetensors-layout file, written to a temporary sibling and renamed, so a crash or a full disk never leaves a partial
/// checkpoint in place of a good one. The <see cref="Kind"/> entry says which run wrote it, so a checkpoint is never
/// resumed by a run of another kind. No generator state is needed: batches are a function of (seed, index) and each
/// step reseeds libtorch from (seed, step).
/// </summary>
public sealed class Checkpoint : IDisposable
{
    public const string Format = "SrMlNet checkpoint";

    /// <summary>The kind of a <see cref="Trainer"/> checkpoint: one network, one optimizer. Files written before kinds existed are of this kind.</summary>
    public const string NetworkKind = "network";

    private const string ModelPart = "model", OptimizerPart = "optim";
    private static readonly IReadOnlyDictionary<string, Tensor> NoTensors = new Dictionary<string, Tensor>();
    private readonly Dictionary<string, Dictionary<string, Tensor>> _parts;

    private Checkpoint(string path, Dictionary<string, Dictionary<string, Tensor>> parts, Dictionary<string, string> metadata)
    {
        Path = path;
        _parts = parts;
        Metadata = metadata;
        Kind = metadata.TryGetValue("kind", out var kind) ? kind : NetworkKind;
        Step = Long("step");
        Seed = Long("seed");
        SamplerSeed = Long("sampler_seed");
        NextBatch = Long("next_batch");
        ElapsedSeconds = double.Parse(Get("elapsed_seconds"), CultureInfo.InvariantCulture);
    }

    public string Path { get; }

    /// <summary>Which run wrote it: <see cref="NetworkKind"/> (<see cref="Trainer"/>) or a GAN run's kind (e.g. "spsr-gan").</summary>
    public string Kind { get; }

    public long Step { get; }
    public long Seed { get; }
    public long SamplerSeed { get; }
    public long NextBatch { get; }

    /// <summary>Training time accumulated over every run that led to this checkpoint.</summary>
    public double ElapsedSeconds { get; }

    /// <summary>The network of a <see cref="NetworkKind"/> checkpoint (empty in other kinds).</summary>
    public IReadOnlyDictionary<string, Tensor> ModelState => _parts.TryGetValue(ModelPart, out var p) ? p : NoTensors;

    /// <summary>The optimizer of a <see cref="NetworkKind"/> checkpoint (empty in other kinds).</summary>
    public IReadOnlyDictionary<string, Tensor> OptimizerState => _parts.TryGetValue(OptimizerPart, out var p) ? p : NoTensors;

    /// <summary>The names of the state dicts stored ("model", "optim"; or "g", "d_img", "opt_g" …).</summary>
    public IReadOnlyCollection<string> PartNames => _parts.Keys;

    /// <summary>The state dict stored under <paramref name="name"/>; throws <see cref="WeightsFormatException"/> naming the file when there is none.</summary>
    public IReadOnlyDictionary<string, Tensor> Part(string name) =>
        _parts.TryGetValue(name, out var p) ? p : throw new WeightsFormatException(Path, $"checkpoint has no '{name}.*' state (it holds {string.Join(", ", _parts.Keys.Order())})");

    /// <summary>Everything stored as text, the caller's metadata included.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Throws <see cref="WeightsFormatException"/> naming the file unless it was written by a run of <paramref name="kind"/>;
    /// <paramref name="run"/> says in words which run wants it (e.g. "an SPSR GAN run").
    /// </summary>
    public void RequireKind(string kind, string run)
    {
        if (Kind != kind)
            throw new WeightsFormatException(Path, $"is a checkpoint of {Describe(Kind)}, not of {run}; it cannot be resumed by this run");
    }

    private static string Describe(string kind) => kind == NetworkKind ? "a single-network training run (one network, one optimizer)" : $"a '{kind}' training run";

    private string Get(string key) => Metadata.TryGetValue(key, out var v) ? v : throw new WeightsFormatException(Path, $"checkpoint has no '{key}' entry");
    private long Long(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);

    /// <summary>The position of a training run.</summary>
    public sealed record State(long Step, long Seed, long SamplerSeed, long NextBatch, double ElapsedSeconds);

    /// <summary>
    /// Opens <paramref name="path"/> to resume a run of <paramref name="kind"/> (described as <paramref name="run"/> in errors):
    /// checks the kind, that the run's batches come from the same sampler seed and that the next batch follows the step, then
    /// lets <paramref name="restore"/> load the states; returns the step the run continues from and the seconds it had spent.
    /// The training loops (<see cref="Trainer"/>, SPSR's GAN run) share this so that they resume alike.
    /// </summary>
    public static (long Step, double ElapsedSeconds) Resume(string path, string kind, string run, long samplerSeed, Action<Checkpoint> restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        using var ckpt = Load(path);
        ckpt.RequireKind(kind, run);
        if (ckpt.SamplerSeed != samplerSeed)
            throw new ArgumentException($"{path}: the checkpoint's batches come from sampler seed {ckpt.SamplerSeed}, but this run's sampler has seed {samplerSeed}; build the sampler with the checkpoint's seed to resume exactly.");
        if (ckpt.NextBatch != ckpt.Step) throw new WeightsFormatException(path, $"next batch {ckpt.NextBatch} does not follow step {ckpt.Step}");
        restore(ckpt);
        return (ckpt.Step, ckpt.ElapsedSeconds);
    }

    /// <summary>Saves a <see cref="NetworkKind"/> checkpoint: <paramref name="network"/> as "model.*", <paramref name="optimizer"/> as "optim.*".</summary>
    public static void Save(string path, torch.nn.Module network, torch.optim.Optimizer optimizer, State state, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, network, optimizer, state, metadata, wrap: null);

    /// <summary><paramref name="wrap"/> decorates the file stream (tests use it to simulate a full disk).</summary>
    internal static void Save(string path, torch.nn.Module network, torch.optim.Optimizer optimizer, State state, IReadOnlyDictionary<string, string>? metadata, Func<Stream, Stream>? wrap)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        Save(path, NetworkKind, [(ModelPart, network)], [(OptimizerPart, optimizer)], state, metadata, wrap);
    }

    /// <summary>
    /// Saves a checkpoint of several networks and optimizers, each state dict under its name as a key prefix (names are
    /// distinct and contain no '.'), tagged with <paramref name="kind"/> so only a run of that kind resumes from it.
    /// </summary>
    public static void Save(string path, string kind, IReadOnlyList<(string Name, torch.nn.Module Network)> networks,
        IReadOnlyList<(string Name, torch.optim.Optimizer Optimizer)> optimizers, State state, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, kind, networks, optimizers, state, metadata, wrap: null);

    internal static void Save(string path, string kind, IReadOnlyList<(string Name, torch.nn.Module Network)> networks,
        IReadOnlyList<(string Name, torch.optim.Optimizer Optimizer)> optimizers, State state, IReadOnlyDictionary<string, string>? metadata, Func<Stream, Stream>? wrap)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(optimizers);
        ArgumentNullException.ThrowIfNull(state);
        var names = networks.Select(n => n.Name).Concat(optimizers.Select(o => o.Name)).ToList();
        foreach (var name in names)
            if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
                throw new ArgumentException($"Checkpoint part name '{name}' must be non-empty and contain no '.'.", nameof(networks));
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ArgumentException($"Checkpoint part names must be distinct: {string.Join(", ", names)}.", nameof(networks));

        var tensors = new Dictionary<string, Tensor>();
        var optimizerStates = new List<Dictionary<string, Tensor>>();
        try
        {
            foreach (var (name, network) in networks)
                foreach (var (k, v) in network.state_dict()) tensors[$"{name}.{k}"] = v;
            foreach (var (name, optimizer) in optimizers)
            {
                var s = optimizer.state_dict(); // new tensors: disposed below
                optimizerStates.Add(s);
                foreach (var (k, v) in s) tensors[$"{name}.{k}"] = v;
            }
            var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
            {
                ["format"] = Format,
                ["format_version"] = "1",
                ["kind"] = kind,
                ["step"] = state.Step.ToString(CultureInfo.InvariantCulture),
                ["seed"] = state.Seed.ToString(CultureInfo.InvariantCulture),
                ["sampler_seed"] = state.SamplerSeed.ToString(CultureInfo.InvariantCulture),
                ["next_batch"] = state.NextBatch.ToString(CultureInfo.InvariantCulture),
                ["elapsed_seconds"] = state.ElapsedSeconds.ToString("R", CultureInfo.InvariantCulture),
                ["saved_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            };
            AtomicFile.Write(path, stream =>
            {
                var target = wrap?.Invoke(stream) ?? stream;
                Safetensors.SaveStateDict(target, tensors, meta);
                target.Flush();
            });
        }
        finally
        {
            foreach (var s in optimizerStates) foreach (var t in s.Values) t.Dispose();
        }
    }

    /// <summary>Reads a checkpoint; throws <see cref="WeightsFormatException"/> naming the file when it is truncated or not one.</summary>
    public static Checkpoint Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint file does not exist.", path);
        var metadata = Safetensors.ReadHeader(path).Metadata.ToDictionary(p => p.Key, p => p.Value);
        if (!metadata.TryGetValue("format", out var format) || format != Format)
            throw new WeightsFormatException(path, $"is not an SrMlNet checkpoint (format '{format ?? "none"}')");
        var tensors = Safetensors.LoadStateDict(path);
        foreach (var t in tensors.Values) t.DetachFromDisposeScope(); // the caller owns them through this object
        var parts = new Dictionary<string, Dictionary<string, Tensor>>(StringComparer.Ordinal);
        foreach (var (key, t) in tensors)
        {
            int dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0)
            {
                t.Dispose(); // not part of any state dict
                continue;
            }
            var name = key[..dot];
            if (!parts.TryGetValue(name, out var part)) parts[name] = part = [];
            part[key[(dot + 1)..]] = t;
        }
        try
        {
            return new Checkpoint(path, parts, metadata);
        }
        catch
        {
            foreach (var p in parts.Values) foreach (var t in p.Values) t.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var p in _parts.Values) foreach (var t in p.Values) t.Dispose();
        _parts.Clear();
    }
}
