using System.IO.Compression;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sr.Models;
using Sr.Models.Inference;
using Sr.Models.Onnx;
using Sr.Models.Upscaling;
using Sr.Torch;
using Tensor = Sr.Torch.Tensor;

namespace Sr.MLNet;

/// <summary>
/// Reads the network out of a genuine ML.NET model zip that a pipeline with SuperResolve saved: ML.NET's OnnxTransformer stores
/// its model as a zip entry <c>…/OnnxModel</c> (a 4-byte length, then the ONNX bytes); the last SrMlNet ONNX model in the chain is
/// the SuperResolve network. This is how <c>sr upscale/eval/compare --model m.zip</c> run such a zip.
/// </summary>
public static class SrModelZip
{
    /// <summary>The header every ML.NET <c>Model.key</c> starts with.</summary>
    private static readonly byte[] ModelHeader = "ML\0MODEL"u8.ToArray();

    /// <summary>Lets <c>--model m.zip</c> load pipeline zips wherever the CLI takes a model.</summary>
    public static void Register()
    {
        ModelLoader.RegisterFileLoader(".zip", (path, scale, options) => Load(path, scale, options));
        ModelLoader.RegisterFileInspector(".zip", Inspect);
    }

    /// <summary>What the zip's SuperResolve network is (name, scale, options) and the zip's SHA-256, for `sr info` and a default --scale.</summary>
    public static ModelFileInfo Inspect(string path)
    {
        var (_, info) = ReadNetwork(path);
        return new ModelFileInfo(path, "mlnet-zip", info.ModelName, info.Scale, info.ColorSpace, info.Options, new Dictionary<string, string>(), ModelFileInfo.HashFile(path));
    }

    /// <summary>The SuperResolve network of an ML.NET zip as an upscaler (ONNX Runtime), checked against the scale.</summary>
    public static ISuperResolver Load(string path, int scale, InferenceOptions? options = null)
    {
        var (onnx, info) = ReadNetwork(path);
        if (info.Scale != scale) throw new ArgumentException($"{path}: holds a ×{info.Scale} model, but ×{scale} was asked for (leave --scale out to use the file's ×{info.Scale}).");
        return new FlatOnnxSuperResolver(onnx, info, Path.GetFileNameWithoutExtension(path), options);
    }

    /// <summary>The ONNX bytes and description of the zip's SuperResolve network; a clear error naming the file otherwise.</summary>
    public static (byte[] onnx, OnnxModelInfo info) ReadNetwork(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a zip file, or a truncated one ({e.Message}).", e);
        }
        using (zip)
        {
            var key = zip.GetEntry("TransformerChain/Model.key");
            if (key is null || !StartsWith(key, ModelHeader))
            {
                bool old = zip.Entries.Any(e => e.FullName.EndsWith("options.json", StringComparison.Ordinal) || e.FullName.Contains("SrMlNet", StringComparison.Ordinal));
                throw new InvalidDataException(old
                    ? $"{path}: an SrMlNet pipeline zip from before the ML.NET rebuild (its own layout, not ML.NET's). Train it again with " +
                      "mlContext.Transforms.SuperResolve (samples/PipelineExperiment) or use an .srm model file."
                    : $"{path}: not an ML.NET model zip (no TransformerChain/Model.key with ML.NET's header).");
            }
            (byte[] onnx, OnnxModelInfo info)? found = null;
            foreach (var entry in zip.Entries.Where(e => e.Name == "OnnxModel"))
            {
                if (entry.Length > OnnxModelInfo.MaxBytes + 4)
                    throw new InvalidDataException($"{path}: entry {entry.FullName} is {entry.Length:N0} bytes, over the {OnnxModelInfo.MaxBytes:N0}-byte limit for a model.");
                var bytes = ReadAll(entry, path);
                if (bytes.Length >= 4 && BitConverter.ToInt32(bytes, 0) == bytes.Length - 4) bytes = bytes[4..];
                try
                {
                    found = (bytes, OnnxModelInfo.Read(bytes));
                }
                catch (InvalidDataException e)
                {
                    // Another ONNX model of the chain (not SrMlNet's) — unless it claims to be ours and is damaged.
                    if (IsOurs(bytes)) throw new InvalidDataException($"{path}: entry {entry.FullName} is SrMlNet's network but does not read: {e.Message}", e);
                }
            }
            return found ?? throw new InvalidDataException($"{path}: an ML.NET model without SrMlNet's SuperResolve step (no SrMlNet ONNX network inside).");
        }
    }

    private static bool IsOurs(byte[] bytes) => bytes.AsSpan().IndexOf("sr.producer"u8) >= 0;

    private static bool StartsWith(ZipArchiveEntry entry, byte[] header)
    {
        using var s = entry.Open();
        var buffer = new byte[header.Length];
        return s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length && buffer.AsSpan().SequenceEqual(header);
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, string path)
    {
        try
        {
            using var s = entry.Open();
            using var memory = new MemoryStream((int)entry.Length);
            s.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: entry {entry.FullName} is damaged ({e.Message}).", e);
        }
    }
}

/// <summary>
/// An SrMlNet flat-layout ONNX network run directly in ONNX Runtime, one whole image at a time (the same session computation
/// ML.NET's OnnxTransformer runs). No tiling or self-ensemble here: <see cref="InferenceOptions"/> asking for them is refused.
/// </summary>
internal sealed class FlatOnnxSuperResolver : ISuperResolver, IDisposable
{
    private readonly InferenceSession _session;
    private readonly OnnxModelInfo _info;

    public FlatOnnxSuperResolver(byte[] onnx, OnnxModelInfo info, string name, InferenceOptions? options)
    {
        if (info.Layout != OnnxLayout.Flat) throw new ArgumentException($"{info.Source}: expected the flat layout, got {info.Layout}.");
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = SuperResolveEstimator.DefaultThreads(),
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(onnx, sessionOptions);
        _info = info;
        Name = name;
        Options = options ?? new InferenceOptions();
        if (Options.TileSize != 0 || Options.SelfEnsemble)
            throw new NotSupportedException($"{info.Source}: tiling and self-ensemble are not available for ML.NET model zips; use the model's .srm file.");
    }

    public string Name { get; }

    public InferenceOptions Options { get; }

    public ColorSpace ColorSpace => _info.ColorSpace;

    public IReadOnlyList<int> Scales => [_info.Scale];

    public Tensor Upscale(Tensor lr, int scale)
    {
        ArgumentNullException.ThrowIfNull(lr);
        if (scale != _info.Scale) throw new ArgumentException($"{Name} is built for scale {_info.Scale}, not {scale}.", nameof(scale));
        if (lr.dim() != 4 || lr.size(1) != _info.Channels)
            throw new ArgumentException($"{Name} expects N×{_info.Channels}×H×W ({ColorSpace}), got [{string.Join(", ", lr.shape)}].", nameof(lr));
        using var scope = torch.NewDisposeScope();
        var outputs = new List<Tensor>();
        for (long n = 0; n < lr.size(0); n++) outputs.Add(Run(lr.narrow(0, n, 1)));
        return torch.cat(outputs, 0).MoveToOuterDisposeScope();
    }

    private Tensor Run(Tensor image)
    {
        long h = image.size(2), w = image.size(3);
        using var contiguous = image.to(ScalarType.Float32).contiguous();
        var pixels = new DenseTensor<float>(contiguous.data<float>(), [1, (int)contiguous.numel()]);
        var hw = new DenseTensor<long>(new[] { h, w }, [2]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor("pixels", pixels), NamedOnnxValue.CreateFromTensor("hw", hw)]);
        var output = results.First(r => r.Name == "out").AsTensor<float>().ToArray();
        return torch.tensor(output, [1, _info.Channels, h * _info.Scale, w * _info.Scale]);
    }

    public void Dispose() => _session.Dispose();
}
