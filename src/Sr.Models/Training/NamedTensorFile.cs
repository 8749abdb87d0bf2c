using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>
/// Named tensors plus string metadata in the safetensors layout (8-byte little-endian header length, JSON header with
/// dtype/shape/data_offsets and a "__metadata__" string map, then the raw little-endian bytes).
/// Interim: the torchio branch brings the project's safetensors reader/writer to Sr.Torch.io; this file keeps the
/// same layout so checkpoints and model files written now stay readable when the trainer switches to it.
/// </summary>
internal static class NamedTensorFile
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private static string DtypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"tensors of dtype {t} cannot be stored (supported: F32, F64, I64, I32, U8, BOOL)"),
    };

    private static ScalarType Dtype(string name, string source) => name switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{source}: tensor dtype '{name}' is not supported"),
    };

    /// <summary>Writes the tensors (any device, any layout) in name order, after the header.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) meta[k] = v;
            header[MetadataKey] = meta;
        }
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        long offset = 0;
        foreach (var name in names)
        {
            var t = tensors[name];
            long bytes = t.numel() * t.dtype.ElementSize();
            header[name] = new JsonObject
            {
                ["dtype"] = DtypeName(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        stream.Write(len);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var name in names)
        {
            using var cpu = tensors[name].detach().cpu().contiguous();
            stream.Write(RawBytes(cpu));
        }
    }

    private static byte[] RawBytes(Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => MemoryMarshal.AsBytes<float>(t.data<float>()).ToArray(),
        ScalarType.Float64 => MemoryMarshal.AsBytes<double>(t.data<double>()).ToArray(),
        ScalarType.Int64 => MemoryMarshal.AsBytes<long>(t.data<long>()).ToArray(),
        ScalarType.Int32 => MemoryMarshal.AsBytes<int>(t.data<int>()).ToArray(),
        ScalarType.Byte => t.data<byte>(),
        ScalarType.Bool => MemoryMarshal.AsBytes<bool>(t.data<bool>()).ToArray(),
        _ => throw new NotSupportedException($"dtype {t.dtype}"),
    };

    /// <summary>Reads a whole file; throws <see cref="InvalidDataException"/> naming <paramref name="path"/> for a truncated or foreign file.</summary>
    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({e.Message})", e);
        }
        return Parse(bytes, path);
    }

    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{source}: is {bytes.Length} bytes, too short to be a tensor file (truncated?)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"{source}: header length {headerLength} does not fit in the file's {bytes.Length} bytes (truncated, or not a safetensors file)");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.Slice(8, (int)headerLength)) as JsonObject
                ?? throw new InvalidDataException($"{source}: header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: header is not valid JSON (not a safetensors file?): {e.Message}", e);
        }
        var data = bytes[(8 + (int)headerLength)..];
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == MetadataKey)
                {
                    if (node is JsonObject m) foreach (var (k, v) in m) metadata[k] = v?.GetValue<string>() ?? "";
                    continue;
                }
                if (node is not JsonObject entry) throw new InvalidDataException($"{source}: entry '{name}' is not an object");
                var dtype = Dtype(entry["dtype"]?.GetValue<string>() ?? "", source);
                var shape = (entry["shape"] as JsonArray ?? throw new InvalidDataException($"{source}: entry '{name}' has no shape"))
                    .Select(s => s!.GetValue<long>()).ToArray();
                var offsets = entry["data_offsets"] as JsonArray ?? throw new InvalidDataException($"{source}: entry '{name}' has no data_offsets");
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                long count = shape.Aggregate(1L, (a, b) => a * b);
                if (begin < 0 || end > data.Length || end - begin != count * dtype.ElementSize())
                    throw new InvalidDataException($"{source}: tensor '{name}' claims bytes {begin}..{end} but the data section has {data.Length} bytes (truncated?)");
                tensors[name] = FromBytes(data[(int)begin..(int)end], dtype, shape).DetachFromDisposeScope();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new InvalidDataException($"{source}: malformed header ({e.Message})", e);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (tensors, metadata);
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> raw, ScalarType dtype, long[] shape) => dtype switch
    {
        ScalarType.Float32 => torch.tensor<float>(MemoryMarshal.Cast<byte, float>(raw), shape),
        ScalarType.Float64 => torch.tensor<double>(MemoryMarshal.Cast<byte, double>(raw), shape),
        ScalarType.Int64 => torch.tensor<long>(MemoryMarshal.Cast<byte, long>(raw), shape),
        ScalarType.Int32 => torch.tensor<int>(MemoryMarshal.Cast<byte, int>(raw), shape),
        ScalarType.Byte => torch.tensor<byte>(raw, shape),
        ScalarType.Bool => torch.tensor<bool>(MemoryMarshal.Cast<byte, bool>(raw), shape),
        _ => throw new NotSupportedException($"dtype {dtype}"),
    };
}
