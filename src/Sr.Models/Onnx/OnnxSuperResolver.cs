using Microsoft.ML.OnnxRuntime;
using Sr.Models.Inference;
using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Onnx;

/// <summary>
/// An <see cref="ISuperResolver"/> over an SrMlNet ONNX model run by ONNX Runtime on the CPU: output clamped to [0,1], optionally
/// tiled and self-ensembled exactly as <see cref="NetworkSuperResolver"/> (the same code does both). The Nchw layout runs a
/// batch per call; the Flat layout (what an ML.NET model zip holds) one image per call.
/// </summary>
/// <remarks>
/// Session settings, each on purpose: intra-op threads = SR_NUM_THREADS or every core (as the libtorch backend; ORT's own
/// default also uses the cores, but says nothing of the environment variable); one inter-op thread and sequential execution
/// (the graphs are chains, so parallel branches gain nothing and would compete for the same cores); all graph optimisations
/// (constant folding, Conv+Add/Relu fusions); the CPU memory arena on, since every call of a session sees similar shapes.
/// </remarks>
public sealed class OnnxSuperResolver : ISuperResolver, IDisposable
{
    private readonly InferenceSession _session;
    private readonly int? _overlap;

    /// <summary>Loads an ONNX file exported by SrMlNet (validated by <see cref="OnnxModelInfo.Read(string)"/>).</summary>
    public OnnxSuperResolver(string path, InferenceOptions? options = null, string? name = null)
        : this(OnnxModelInfo.Read(path, out var bytes), bytes, options, name ?? Path.GetFileNameWithoutExtension(path))
    {
    }

    /// <summary>Loads an ONNX model exported by SrMlNet from memory.</summary>
    public OnnxSuperResolver(byte[] model, InferenceOptions? options = null, string? name = null)
        : this(OnnxModelInfo.Read(model), model, options, name)
    {
    }

    private OnnxSuperResolver(OnnxModelInfo info, byte[] model, InferenceOptions? options, string? name)
    {
        if (info.Layout is not (OnnxLayout.Nchw or OnnxLayout.Flat))
            throw new ArgumentException($"{info.Source}: holds the {info.Layout} layout; the ONNX Runtime backend runs the Nchw or the Flat layout (export with --layout nchw).");
        Info = info;
        Options = options ?? new InferenceOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.TileSize);
        if (Options.TileOverlap is int overlap && info.ReceptiveFieldRadius is int radius && overlap < radius)
            throw new ArgumentOutOfRangeException(nameof(options), overlap,
                $"Tile overlap {overlap} is below the receptive-field radius {radius} of {info.ModelName}: tiles would show seams.");
        _overlap = Options.TileOverlap ?? info.ReceptiveFieldRadius;
        if (Options.TileSize > 0 && _overlap is null)
            throw new ArgumentException($"{info.Source}: records no receptive-field radius, so tiling needs an explicit tile overlap.", nameof(options));
        Name = name ?? info.ModelName;
        using var sessionOptions = CreateSessionOptions();
        try
        {
            _session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{info.Source}: ONNX Runtime cannot load the model: {e.Message}", e);
        }
    }

    /// <summary>Exports <paramref name="network"/> (Nchw) in memory and runs it in ONNX Runtime.</summary>
    public static OnnxSuperResolver FromNetwork(SrNetwork network, InferenceOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new OnnxSuperResolver(OnnxExporter.Export(network), options, name ?? OnnxExporter.ModelName(network));
    }

    /// <summary>What the model is (network, scale, colour space).</summary>
    public OnnxModelInfo Info { get; }

    public InferenceOptions Options { get; }

    public string Name { get; }

    public ColorSpace ColorSpace => Info.ColorSpace;

    public IReadOnlyList<int> Scales => [Info.Scale];

    /// <summary>ONNX Runtime's intra-op threads: SR_NUM_THREADS when set, else every core (as the libtorch backend).</summary>
    public static int DefaultThreads =>
        int.TryParse(Environment.GetEnvironmentVariable("SR_NUM_THREADS"), out var v) && v > 0 ? v : Environment.ProcessorCount;

    /// <summary>The session options described in the remarks.</summary>
    internal static SessionOptions CreateSessionOptions()
    {
        return new SessionOptions
        {
            IntraOpNumThreads = DefaultThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableCpuMemArena = true,
        };
    }

    public Tensor Upscale(Tensor lr, int scale)
    {
        ArgumentNullException.ThrowIfNull(lr);
        if (scale != Info.Scale)
            throw new ArgumentException($"{Name} is built for scale {Info.Scale}, not {scale}.", nameof(scale));
        if (lr.dim() != 4 || lr.size(1) != Info.Channels)
            throw new ArgumentException($"{Name} expects N×{Info.Channels}×H×W ({ColorSpace}), got [{string.Join(", ", lr.shape)}].", nameof(lr));
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var sr = TiledInference.Run(lr, Info.Scale, _overlap ?? 0, Options, Forward);
        return sr.clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>One run of the session: the tensor's values in, the output's values back as a tensor on the input's device.</summary>
    private Tensor Forward(Tensor x)
    {
        if (Info.Layout == OnnxLayout.Flat) return ForwardFlat(x);
        using var cpu = x.to(ScalarType.Float32, new Device(DeviceType.CPU)).contiguous();
        var data = cpu.data<float>();
        using var input = OrtValue.CreateTensorValueFromMemory(data, cpu.shape);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, ["input"], [input], ["output"]);
        var output = results[0];
        var result = tensor(output.GetTensorDataAsSpan<float>(), output.GetTensorTypeAndShape().Shape);
        return x.device.type == DeviceType.CPU ? result : result.Consume(r => r.to(x.device));
    }

    /// <summary>The Flat layout: each image as "pixels" [1, C·h·w] + "hw" [2], its "out" reshaped to 1×C×sh×sw.</summary>
    private Tensor ForwardFlat(Tensor x)
    {
        using var scope = NewDisposeScope();
        long h = x.size(2), w = x.size(3);
        var outputs = new List<Tensor>();
        for (long n = 0; n < x.size(0); n++)
        {
            using var cpu = x.narrow(0, n, 1).to(ScalarType.Float32, new Device(DeviceType.CPU)).contiguous();
            var data = cpu.data<float>();
            using var pixels = OrtValue.CreateTensorValueFromMemory(data, [1, data.LongLength]);
            using var hw = OrtValue.CreateTensorValueFromMemory(new[] { h, w }, [2]);
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, ["pixels", "hw"], [pixels, hw], ["out"]);
            outputs.Add(tensor(results[0].GetTensorDataAsSpan<float>(), [1, Info.Channels, h * Info.Scale, w * Info.Scale]));
        }
        var result = cat(outputs, 0);
        return (x.device.type == DeviceType.CPU ? result : result.to(x.device)).MoveToOuterDisposeScope();
    }

    public void Dispose() => _session.Dispose();
}
