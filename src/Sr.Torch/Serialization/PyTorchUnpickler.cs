using System.IO.Compression;
using static Sr.Torch.Serialization.RestrictedUnpickler;

namespace Sr.Torch.Serialization;

/// <summary>
/// Imports PyTorch <c>.pt/.pth</c> state dicts: the zip format <c>torch.save</c> writes since PyTorch 1.6
/// (<c>&lt;archive&gt;/data.pkl</c>, <c>&lt;archive&gt;/data/&lt;key&gt;</c> storages, <c>&lt;archive&gt;/version</c>),
/// read by a restricted unpickler that builds tensors and plain containers only and refuses every other pickled
/// object (as <c>torch.load(weights_only=True)</c> does). libtorch 1.13's own <c>pickle_load</c> cannot be used: it
/// returns None for an <c>OrderedDict</c>.
/// </summary>
public static class PyTorchUnpickler
{
    /// <summary>
    /// Where a training checkpoint keeps its state dict, tried in this order when no key is given
    /// (BasicSR writes <c>params</c> and <c>params_ema</c>, the EMA weights being the ones it evaluates).
    /// </summary>
    public static IReadOnlyList<string> CheckpointKeys { get; } = ["state_dict", "params_ema", "params", "model_state_dict", "model", "net", "generator"];

    /// <summary>
    /// Reads the state dict of a <c>.pt/.pth</c> file: the file's top-level dict when it maps names to tensors,
    /// otherwise the dict under <paramref name="key"/> (or the first of <see cref="CheckpointKeys"/> present).
    /// The tensors are new CPU tensors owned by the caller; views of one storage become separate copies.
    /// </summary>
    public static Dictionary<string, Tensor> UnpickleStateDict(string path, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsFormatException(path, $"cannot be read ({e.Message})", e);
        }
        using (fs) return UnpickleStateDict(fs, key, path);
    }

    /// <summary>Reads a state dict from a stream holding a <c>.pt/.pth</c> file; <paramref name="source"/> names it in errors.</summary>
    public static Dictionary<string, Tensor> UnpickleStateDict(Stream stream, string? key = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        source ??= "<stream>";
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        var head = new byte[4];
        long start = stream.Position;
        int got = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = start;
        if (got == 0) throw new WeightsFormatException(source, "is empty (0 bytes)");
        if (got < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
        {
            // The legacy format (before PyTorch 1.6) is a bare pickle starting with PROTO 2 and a LONG1 magic number.
            throw new WeightsFormatException(source, got >= 3 && head[0] == 0x80 && head[2] == 0x8a
                ? "is a legacy (pre-1.6, non-zip) PyTorch file, which is not read; re-save it with torch.save() in a current PyTorch"
                : "is not a PyTorch .pt/.pth file (it is not a zip archive)");
        }
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return Read(zip, key, source);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new WeightsFormatException(source, $"is truncated or corrupt ({e.Message})", e);
        }
    }

    private static Dictionary<string, Tensor> Read(ZipArchive zip, string? key, string source)
    {
        var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
        {
            bool torchScript = zip.Entries.Any(e => e.FullName.EndsWith("/constants.pkl", StringComparison.Ordinal));
            throw new WeightsFormatException(source, torchScript
                ? "is a TorchScript archive (torch.jit.save), not a state dict; in PyTorch save model.state_dict() with torch.save instead"
                : pickles.Count == 0
                    ? "is a zip archive but not a PyTorch checkpoint: it has no <archive>/data.pkl entry"
                    : "is a zip archive with several <archive>/data.pkl entries, not a PyTorch checkpoint");
        }
        var prefix = pickles[0].FullName[..^"data.pkl".Length];
        if (zip.GetEntry(prefix + "byteorder") is { } order && ReadAll(order, source) is var bo && System.Text.Encoding.ASCII.GetString(bo).Trim() != "little")
            throw new WeightsFormatException(source, "stores big-endian tensors, which are not read");

        var root = Load(ReadAll(pickles[0], source), source);
        var dict = SelectStateDict(root, key, source);

        var storages = new Dictionary<string, byte[]>();
        var result = new Dictionary<string, Tensor>(dict.Count);
        try
        {
            foreach (var (k, v) in dict)
            {
                if (k is not string name) throw new WeightsFormatException(source, $"has a state dict key that is not a string ({Describe(k)})");
                if (v is not TensorRef t) throw new WeightsFormatException(source, $"has state dict entry '{name}' holding {Describe(v)} instead of a tensor");
                if (!storages.TryGetValue(t.Storage.Key, out var bytes))
                {
                    var entry = zip.GetEntry(prefix + "data/" + t.Storage.Key)
                                ?? throw new WeightsFormatException(source, $"is missing storage data/{t.Storage.Key} (tensor '{name}')");
                    bytes = ReadAll(entry, source);
                    long need = t.Storage.Numel * t.Storage.Dtype.ElementSize();
                    if (bytes.LongLength != need)
                        throw new WeightsFormatException(source, $"has storage data/{t.Storage.Key} of {bytes.LongLength} bytes where its {t.Storage.Numel} {t.Storage.Dtype} elements need {need}");
                    storages[t.Storage.Key] = bytes;
                }
                result.Add(name, Materialize(t, bytes, name, source));
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static PyDict SelectStateDict(object? root, string? key, string source)
    {
        if (root is not PyDict top)
            throw new WeightsFormatException(source, $"holds {Describe(root)}, not a state dict (a dict of name → tensor)");
        if (key != null)
        {
            if (!top.TryGetValue(key, out var v))
                throw new WeightsFormatException(source, $"has no entry '{key}' (its keys: {Keys(top)})");
            return v as PyDict ?? throw new WeightsFormatException(source, $"holds {Describe(v)} under '{key}', not a state dict");
        }
        if (top.Count == 0 || top.Values.Any(v => v is TensorRef)) return top;
        foreach (var k in CheckpointKeys)
            if (top.TryGetValue(k, out var v) && v is PyDict d) return d;
        throw new WeightsFormatException(source, $"holds a dict without tensors whose keys ({Keys(top)}) include none of {string.Join(", ", CheckpointKeys)}; pass the key of the state dict");
    }

    private static string Keys(PyDict d) => string.Join(", ", d.Keys.Take(12).Select(k => k.ToString())) + (d.Count > 12 ? ", …" : "");

    private static byte[] ReadAll(ZipArchiveEntry entry, string source)
    {
        if (entry.Length > int.MaxValue) throw new WeightsFormatException(source, $"has entry {entry.FullName} over 2 GB, which is not read");
        var bytes = new byte[entry.Length];
        using var s = entry.Open();
        if (s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            throw new WeightsFormatException(source, $"is truncated: entry {entry.FullName} ends early");
        return bytes;
    }

    /// <summary>Copies the strided view (offset, size, stride in elements) of a storage into a new contiguous tensor.</summary>
    private static Tensor Materialize(TensorRef t, byte[] storage, string name, string source)
    {
        int es = t.Storage.Dtype.ElementSize();
        long numel = 1;
        long last = t.Offset;
        for (int d = 0; d < t.Size.Length; d++)
        {
            if (t.Size[d] < 0 || t.Stride[d] < 0) throw new WeightsFormatException(source, $"has tensor '{name}' with a negative size or stride");
            numel *= t.Size[d];
            if (t.Size[d] > 0) last += (t.Size[d] - 1) * t.Stride[d];
        }
        if (numel == 0) return RawTensors.FromBytes([], t.Size, t.Storage.Dtype);
        if (t.Offset < 0 || last >= t.Storage.Numel)
            throw new WeightsFormatException(source, $"has tensor '{name}' reaching element {last} of a storage of {t.Storage.Numel}");

        // Row-major already: one slice. Otherwise walk the view with an odometer over its indices.
        bool contiguous = true;
        for (long d = t.Size.Length - 1, expect = 1; d >= 0; d--)
        {
            if (t.Size[d] != 1 && t.Stride[d] != expect) contiguous = false;
            expect *= t.Size[d];
        }
        if (contiguous) return RawTensors.FromBytes(storage.AsSpan((int)(t.Offset * es), (int)(numel * es)), t.Size, t.Storage.Dtype);

        var dense = new byte[numel * es];
        var index = new long[t.Size.Length];
        long src = t.Offset;
        for (long i = 0; i < numel; i++)
        {
            Buffer.BlockCopy(storage, (int)(src * es), dense, (int)(i * es), es);
            for (int d = t.Size.Length - 1; d >= 0; d--)
            {
                if (++index[d] < t.Size[d]) { src += t.Stride[d]; break; }
                src -= (t.Size[d] - 1) * t.Stride[d];
                index[d] = 0;
            }
        }
        return RawTensors.FromBytes(dense, t.Size, t.Storage.Dtype);
    }
}
