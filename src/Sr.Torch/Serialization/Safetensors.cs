using System.Buffers.Binary;
using System.Text.Json;
using Sr.Torch.io;

namespace Sr.Torch.Serialization;

/// <summary>
/// The safetensors format (Hugging Face), read and written in C#: an 8-byte little-endian header length, a JSON
/// header <c>{name: {dtype, shape, data_offsets}, "__metadata__": {…}}</c>, then the raw little-endian bytes.
/// Reading validates as strictly as the reference implementation (offsets inside the buffer, contiguous, no
/// overlap, no trailing bytes, shape × dtype size = byte range); every problem is a
/// <see cref="WeightsFormatException"/> naming the file.
/// </summary>
public static class Safetensors
{
    /// <summary>Headers beyond this size are refused (the reference implementation's limit): a foreign file's first 8 bytes read as a length are usually huge.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private static readonly (string Name, ScalarType Type)[] Dtypes =
    [
        ("F32", ScalarType.Float32), ("F64", ScalarType.Float64), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    /// <summary>The scalar type of a safetensors dtype name, or null when libtorch (1.13) has no such type (U16, U32, U64, F8_*).</summary>
    public static ScalarType? ToScalarType(string dtype)
    {
        foreach (var (n, t) in Dtypes) if (n == dtype) return t;
        return null;
    }

    public static string ToDtypeName(ScalarType type)
    {
        foreach (var (n, t) in Dtypes) if (t == type) return n;
        throw new NotSupportedException($"no safetensors dtype for {type}");
    }

    // ---- reading -----------------------------------------------------------------------------------------------
    /// <summary>Reads every tensor of the file (CPU tensors owned by the caller, in header order).</summary>
    public static Dictionary<string, Tensor> LoadStateDict(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = OpenRead(path);
        return LoadStateDict(fs, path);
    }

    /// <summary>Reads every tensor from the stream (from its current position); <paramref name="source"/> names it in errors.</summary>
    public static Dictionary<string, Tensor> LoadStateDict(Stream stream, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        source ??= "<stream>";
        var header = ReadHeader(stream, source);
        var result = new Dictionary<string, Tensor>(header.Tensors.Count);
        try
        {
            // The offsets are contiguous (validated), so the tensors are read in buffer order without seeking.
            foreach (var e in header.Tensors.OrderBy(e => e.Begin))
            {
                var t = RawTensors.ReadTensor(stream, e.End - e.Begin, e.Shape, e.ScalarType)
                        ?? throw new WeightsFormatException(source, $"is truncated: the data of tensor '{e.Name}' (bytes {e.Begin}..{e.End} of the buffer) runs past the end of the file");
                result.Add(e.Name, t);
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        // Header order, as the file lists them.
        return header.Tensors.ToDictionary(e => e.Name, e => result[e.Name]);
    }

    public static SafetensorsHeader ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = OpenRead(path);
        return ReadHeader(fs, path);
    }

    /// <summary>Reads and validates the header, leaving the stream at the start of the data buffer.</summary>
    public static SafetensorsHeader ReadHeader(Stream stream, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        source ??= "<stream>";
        long? remaining = stream.CanSeek ? stream.Length - stream.Position : null;
        Span<byte> lengthField = stackalloc byte[8];
        int got = stream.ReadAtLeast(lengthField, 8, throwOnEndOfStream: false);
        if (got < 8)
            throw new WeightsFormatException(source, $"is not a safetensors file: {got} byte(s), shorter than the 8-byte header length field");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(lengthField);
        if (n < 2 || n > MaxHeaderBytes)
            throw new WeightsFormatException(source, $"is not a safetensors file: the header length field reads {n}, outside 2..{MaxHeaderBytes:N0}");
        long headerBytes = (long)n;
        if (remaining is { } r && headerBytes > r - 8)
            throw new WeightsFormatException(source, $"is truncated or not a safetensors file: the header claims {headerBytes:N0} bytes but only {r - 8:N0} follow the length field");
        var json = new byte[headerBytes];
        if (stream.ReadAtLeast(json, json.Length, throwOnEndOfStream: false) < json.Length)
            throw new WeightsFormatException(source, $"is truncated: the file ends inside its {headerBytes:N0}-byte header");
        if (json[0] != (byte)'{')
            throw new WeightsFormatException(source, "is not a safetensors file: the header does not start with '{'");
        long? bufferBytes = remaining is { } rr ? rr - 8 - headerBytes : null;
        return ParseHeader(json, source, bufferBytes);
    }

    private static SafetensorsHeader ParseHeader(byte[] json, string source, long? bufferBytes)
    {
        // JsonDocument checks UTF-8 only when a string is read (an InvalidOperationException then): check it all here.
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw new WeightsFormatException(source, "has a header that is not valid UTF-8 text");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new WeightsFormatException(source, $"has a header that is not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new WeightsFormatException(source, "has a header that is not a JSON object");
            var entries = new List<SafetensorsHeader.Entry>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name)) throw new WeightsFormatException(source, $"lists '{prop.Name}' twice in its header");
                if (prop.Name == MetadataKey)
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                        throw new WeightsFormatException(source, "has a __metadata__ entry that is not a JSON object");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new WeightsFormatException(source, $"has metadata '{m.Name}' that is not a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ParseEntry(prop, source));
            }
            CheckLayout(entries, source, bufferBytes);
            return new SafetensorsHeader(entries, metadata, json.Length);
        }
    }

    private static SafetensorsHeader.Entry ParseEntry(JsonProperty prop, string source)
    {
        string Bad(string what) => $"has a malformed header entry for tensor '{prop.Name}': {what}";
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object) throw new WeightsFormatException(source, Bad("not a JSON object"));
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new WeightsFormatException(source, Bad("no \"dtype\" string"));
        var dtype = dt.GetString()!;
        var type = ToScalarType(dtype) ?? throw new WeightsFormatException(source,
            $"holds tensor '{prop.Name}' of dtype {dtype}, which Sr.Torch cannot hold (supported: {string.Join(", ", Dtypes.Select(d => d.Name))})");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new WeightsFormatException(source, Bad("no \"shape\" array"));
        var shape = new long[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var s) || s < 0)
                throw new WeightsFormatException(source, Bad("shape entries must be non-negative integers"));
            shape[i++] = s;
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new WeightsFormatException(source, Bad("no \"data_offsets\" pair"));
        var o = off.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out var y) && y >= 0 ? y : -1).ToArray();
        if (o[0] < 0 || o[1] < 0) throw new WeightsFormatException(source, Bad("data_offsets must be non-negative integers"));
        if (o[1] < o[0]) throw new WeightsFormatException(source, Bad($"data_offsets [{o[0]}, {o[1]}] end before they begin"));
        var need = RawTensors.ByteCount(shape, type)
                   ?? throw new WeightsFormatException(source, Bad($"shape [{string.Join(", ", shape)}] is too large"));
        if (need != o[1] - o[0])
            throw new WeightsFormatException(source, $"is inconsistent: tensor '{prop.Name}' ({dtype}, shape [{string.Join(", ", shape)}]) needs {need} bytes but its data_offsets [{o[0]}, {o[1]}] span {o[1] - o[0]}");
        return new SafetensorsHeader.Entry(prop.Name, dtype, shape, o[0], o[1]);
    }

    private static void CheckLayout(List<SafetensorsHeader.Entry> entries, string source, long? bufferBytes)
    {
        long expected = 0;
        SafetensorsHeader.Entry? previous = null;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < expected)
                throw new WeightsFormatException(source, $"is inconsistent: tensor '{e.Name}' (bytes {e.Begin}..{e.End}) overlaps '{previous!.Name}' (bytes {previous.Begin}..{previous.End})");
            if (e.Begin > expected)
                throw new WeightsFormatException(source, $"is inconsistent: bytes {expected}..{e.Begin} of the data buffer belong to no tensor");
            expected = e.End;
            previous = e;
        }
        if (bufferBytes is { } b)
        {
            if (expected > b)
                throw new WeightsFormatException(source, $"is truncated: its tensors need a {expected:N0}-byte data buffer but the file holds {b:N0} bytes after the header");
            if (expected < b)
                throw new WeightsFormatException(source, $"is inconsistent: {b - expected:N0} byte(s) after the last tensor belong to no tensor");
        }
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsFormatException(path, $"cannot be read ({e.Message})", e);
        }
    }

    // ---- writing -----------------------------------------------------------------------------------------------
    /// <summary>Writes the tensors (detached, copied to the CPU) through a temporary file and a rename.</summary>
    public static void SaveStateDict(string path, IReadOnlyDictionary<string, Tensor> stateDict, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(stateDict);
        AtomicFile.Write(path, s => SaveStateDict(s, stateDict, metadata));
    }

    public static void SaveStateDict(Stream stream, IReadOnlyDictionary<string, Tensor> stateDict, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.ContainsKey(MetadataKey)) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(stateDict));
        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in stateDict)
            {
                ArgumentNullException.ThrowIfNull(t, name);
                long bytes = RawTensors.ByteCount(t);
                w.WriteStartObject(name);
                w.WriteString("dtype", ToDtypeName(t.dtype));
                w.WriteStartArray("shape");
                foreach (var s in t.shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes;
            }
            w.WriteEndObject();
        }
        // The reference implementation pads the header with spaces so that the data buffer starts 8-byte aligned.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');
        Span<byte> lengthField = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthField, (ulong)header.Length);
        stream.Write(lengthField);
        header.Position = 0;
        header.CopyTo(stream);
        foreach (var t in stateDict.Values) RawTensors.WriteTensor(stream, t);
        stream.Flush();
    }
}
