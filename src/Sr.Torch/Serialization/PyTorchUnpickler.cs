using System.IO.Compression;
using static Sr.Torch.Serialization.RestrictedUnpickler;

namespace Sr.Torch.Serialization;

/// <summary>
/// Imports PyTorch <c>.pt/.pth</c> state dicts: the zip format <c>torch.save</c> writes since PyTorch 1.6
/// (<c>&lt;archive&gt;/data.pkl</c>, <c>&lt;archive&gt;/data/&lt;key&gt;</c> storages, <c>&lt;archive&gt;/version</c>), and the
/// legacy format of PyTorch 0.4–1.5 (pickles in a row: magic number, protocol version 1001, sys_info, the object, the storage
/// keys; then each storage as an int64 element count and its bytes) in which older published weights, such as LPIPS's
/// <c>weights/v0.1/*.pth</c>, were saved. The older tar format (PyTorch before 0.4) is not read. Both are
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
        // The legacy format (PyTorch 0.4-1.5) is a bare pickle starting with PROTO 2 and a LONG1 magic number.
        if (got >= 3 && head[0] == 0x80 && head[2] == 0x8a) return ReadLegacy(stream, key, source);
        if (got < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
            throw new WeightsFormatException(source, "is not a PyTorch .pt/.pth file (it is not a zip archive)");
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
        return ToTensors(dict, source, (storage, name) =>
        {
            var entry = zip.GetEntry(prefix + "data/" + storage.Key)
                        ?? throw new WeightsFormatException(source, $"is missing storage data/{storage.Key} (tensor '{name}')");
            var bytes = ReadAll(entry, source);
            long need = storage.Numel * storage.Dtype.ElementSize();
            if (bytes.LongLength != need)
                throw new WeightsFormatException(source, $"has storage data/{storage.Key} of {bytes.LongLength} bytes where its {storage.Numel} {storage.Dtype} elements need {need}");
            return bytes;
        });
    }

    /// <summary>The magic number pickle that opens a legacy file: PROTO 2, LONG1 0x1950a86a20f9469cfc6c, STOP.</summary>
    private static ReadOnlySpan<byte> LegacyMagic => [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.'];

    private static Dictionary<string, Tensor> ReadLegacy(Stream stream, string? key, string source)
    {
        long length = stream.Length - stream.Position;
        if (length > int.MaxValue) throw new WeightsFormatException(source, "is a legacy (non-zip) PyTorch file over 2 GB, which is not read");
        var data = new byte[length];
        stream.ReadExactly(data);
        if (!data.AsSpan().StartsWith(LegacyMagic))
            throw new WeightsFormatException(source, "is a legacy (non-zip) PyTorch file whose magic number is cut short or wrong (truncated?)");
        int pos = LegacyMagic.Length;
        var version = RestrictedUnpickler.Load(data, ref pos, source, "protocol version", out _);
        if (version is not 1001L)
            throw new WeightsFormatException(source, $"is a legacy PyTorch file of protocol version {Describe(version)}; only 1001 (PyTorch 0.4-1.5) is read");
        if (RestrictedUnpickler.Load(data, ref pos, source, "sys_info", out _) is not PyDict sysInfo)
            throw new WeightsFormatException(source, "is a legacy PyTorch file without its sys_info dict");
        if (sysInfo.TryGetValue("little_endian", out var little) && little is false)
            throw new WeightsFormatException(source, "stores big-endian tensors, which are not read");
        var root = RestrictedUnpickler.Load(data, ref pos, source, "the saved object", out var named);
        var dict = SelectStateDict(root, key, source);
        if (RestrictedUnpickler.Load(data, ref pos, source, "storage keys", out _) is not List<object?> keys || keys.Any(k => k is not string))
            throw new WeightsFormatException(source, "is a legacy PyTorch file without its list of storage keys");
        // The storages follow in the order of the keys: an int64 element count (little-endian), then the elements.
        var spans = new Dictionary<string, (int Offset, int Length)>();
        foreach (string k in keys.Cast<string>())
        {
            if (!named.TryGetValue(k, out var storage))
                throw new WeightsFormatException(source, $"lists storage {k}, which no tensor names (its element size is unknown)");
            if (data.Length - pos < 8) throw new WeightsFormatException(source, $"is truncated: storage {k} is missing");
            long numel = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pos, 8));
            pos += 8;
            if (numel != storage.Numel)
                throw new WeightsFormatException(source, $"has storage {k} of {numel} elements where its tensors say {storage.Numel}");
            int size = storage.Dtype.ElementSize();
            if (numel > (data.Length - pos) / size) throw new WeightsFormatException(source, $"is truncated: storage {k} ends early");
            long bytes = numel * size;
            spans[k] = (pos, (int)bytes);
            pos += (int)bytes;
        }
        return ToTensors(dict, source, (storage, name) =>
            spans.TryGetValue(storage.Key, out var span) ? data.AsSpan(span.Offset, span.Length).ToArray()
                : throw new WeightsFormatException(source, $"is missing storage {storage.Key} (tensor '{name}')"));
    }

    /// <summary>The state dict's tensors as new CPU tensors; <paramref name="bytesOf"/> gives a storage's bytes (read once each).</summary>
    private static Dictionary<string, Tensor> ToTensors(PyDict dict, string source, Func<StorageRef, string, byte[]> bytesOf)
    {
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
                    bytes = bytesOf(t.Storage, name);
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
