using System.IO.Compression;
using Sr.Models.Inference;
using Sr.Models.Onnx;

namespace Sr.Models.Upscaling;

/// <summary>
/// Reads the network out of a genuine ML.NET model zip that a pipeline with SuperResolve saved: ML.NET's OnnxTransformer stores
/// its model as a zip entry <c>…/OnnxModel</c> (a 4-byte length, then the ONNX bytes); the last SrMlNet ONNX model in the chain is
/// the SuperResolve network. This is how <c>sr upscale/eval/compare --model m.zip</c> run such a zip: reading one needs only the
/// zip and ONNX formats, so it lives here and <see cref="ModelLoader"/> takes .zip files like .srm and .onnx ones (Sr.MLNet writes them).
/// </summary>
public static class MlNetModelZip
{
    /// <summary>The header every ML.NET <c>Model.key</c> starts with.</summary>
    private static readonly byte[] ModelHeader = "ML\0MODEL"u8.ToArray();

    /// <summary>The extension of ML.NET model zips.</summary>
    public const string Extension = ".zip";

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
        // ONNX Runtime on the zip's flat network: the same session computation ML.NET's OnnxTransformer runs, with tiling and
        // self-ensemble as for any other model.
        return new OnnxSuperResolver(onnx, options, Path.GetFileNameWithoutExtension(path));
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
                // Entries in chain order: the last SR network wins; RSRNet's down-scaler (Reduce) is not an upscaler.
                if (entry.Length > OnnxModelInfo.MaxBytes + 4)
                    throw new InvalidDataException($"{path}: entry {entry.FullName} is {entry.Length:N0} bytes, over the {OnnxModelInfo.MaxBytes:N0}-byte limit for a model.");
                var bytes = ReadAll(entry, path);
                if (bytes.Length >= 4 && BitConverter.ToInt32(bytes, 0) == bytes.Length - 4) bytes = bytes[4..];
                if (OnnxModelInfo.SrModelName(bytes) == OnnxExporter.ReducerModelName) continue;
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

    /// <summary>Whether the bytes carry SrMlNet's producer key: the one sign left when a damaged entry no longer parses.</summary>
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
