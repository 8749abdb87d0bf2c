namespace Sr.Torch.Serialization;

/// <summary>The validated header of a safetensors file: its tensors (in header order) and its free-form metadata.</summary>
public sealed class SafetensorsHeader
{
    internal SafetensorsHeader(IReadOnlyList<Entry> tensors, IReadOnlyDictionary<string, string> metadata, long headerBytes)
    {
        Tensors = tensors;
        Metadata = metadata;
        HeaderBytes = headerBytes;
    }

    /// <summary>One tensor: its name, safetensors dtype name (<c>F32</c>, <c>I64</c>, …), shape and byte range in the data buffer.</summary>
    public sealed record Entry(string Name, string Dtype, long[] Shape, long Begin, long End)
    {
        public ScalarType ScalarType => Safetensors.ToScalarType(Dtype) ?? throw new NotSupportedException($"dtype {Dtype}");
    }

    public IReadOnlyList<Entry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Length of the JSON header (the data buffer starts at 8 + HeaderBytes).</summary>
    public long HeaderBytes { get; }
}
