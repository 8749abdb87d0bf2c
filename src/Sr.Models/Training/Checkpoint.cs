using System.Globalization;
using Sr.Torch;
using Sr.Torch.io;
using Sr.Torch.Serialization;

namespace Sr.Models.Training;

/// <summary>
/// A training checkpoint: the network's state dict ("model.*"), the optimizer's ("optim.*"), and the run's position
/// (step, seeds, next batch index, elapsed time, caller metadata) — one safetensors-layout file, written to a temporary
/// sibling and renamed, so a crash or a full disk never leaves a partial checkpoint in place of a good one.
/// No generator state is needed: batches are a function of (seed, index) and each step reseeds libtorch from (seed, step).
/// </summary>
public sealed class Checkpoint : IDisposable
{
    public const string Format = "SrMlNet checkpoint";
    private const string ModelPrefix = "model.", OptimizerPrefix = "optim.";

    private Checkpoint(string path, Dictionary<string, Tensor> model, Dictionary<string, Tensor> optimizer, Dictionary<string, string> metadata)
    {
        Path = path;
        ModelState = model;
        OptimizerState = optimizer;
        Metadata = metadata;
        Step = Long("step");
        Seed = Long("seed");
        SamplerSeed = Long("sampler_seed");
        NextBatch = Long("next_batch");
        ElapsedSeconds = double.Parse(Get("elapsed_seconds"), CultureInfo.InvariantCulture);
    }

    public string Path { get; }
    public long Step { get; }
    public long Seed { get; }
    public long SamplerSeed { get; }
    public long NextBatch { get; }

    /// <summary>Training time accumulated over every run that led to this checkpoint.</summary>
    public double ElapsedSeconds { get; }

    public IReadOnlyDictionary<string, Tensor> ModelState { get; }
    public IReadOnlyDictionary<string, Tensor> OptimizerState { get; }

    /// <summary>Everything stored as text, the caller's metadata included.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private string Get(string key) => Metadata.TryGetValue(key, out var v) ? v : throw new WeightsFormatException(Path, $"checkpoint has no '{key}' entry");
    private long Long(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);

    /// <summary>The position of a training run.</summary>
    public sealed record State(long Step, long Seed, long SamplerSeed, long NextBatch, double ElapsedSeconds);

    public static void Save(string path, torch.nn.Module network, torch.optim.Optimizer optimizer, State state, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, network, optimizer, state, metadata, wrap: null);

    /// <summary><paramref name="wrap"/> decorates the file stream (tests use it to simulate a full disk).</summary>
    internal static void Save(string path, torch.nn.Module network, torch.optim.Optimizer optimizer, State state, IReadOnlyDictionary<string, string>? metadata, Func<Stream, Stream>? wrap)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        var tensors = new Dictionary<string, Tensor>();
        var optimizerState = optimizer.state_dict();
        try
        {
            foreach (var (k, v) in network.state_dict()) tensors[ModelPrefix + k] = v;
            foreach (var (k, v) in optimizerState) tensors[OptimizerPrefix + k] = v;
            var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
            {
                ["format"] = Format,
                ["format_version"] = "1",
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
            foreach (var t in optimizerState.Values) t.Dispose();
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
        var model = tensors.Where(p => p.Key.StartsWith(ModelPrefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[ModelPrefix.Length..], p => p.Value);
        var optim = tensors.Where(p => p.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[OptimizerPrefix.Length..], p => p.Value);
        try
        {
            return new Checkpoint(path, model, optim, metadata);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var t in ModelState.Values) t.Dispose();
        foreach (var t in OptimizerState.Values) t.Dispose();
    }
}
