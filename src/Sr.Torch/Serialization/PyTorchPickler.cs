using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Sr.Torch.io;

namespace Sr.Torch.Serialization;

/// <summary>
/// Writes a state dict as PyTorch's <c>torch.save(model.state_dict(), path)</c> does (zip format, pickle protocol 2,
/// an <c>OrderedDict</c> of <c>_rebuild_tensor_v2</c> calls, one storage per tensor), so that
/// <c>torch.load(path)</c> (also with <c>weights_only=True</c>) in Python reads weights trained in .NET.
/// </summary>
public static class PyTorchPickler
{
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes through a temporary file and a rename. The archive's folder is named after the file, as PyTorch names it.</summary>
    public static void PickleStateDict(string path, IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(stateDict);
        var archive = Path.GetFileNameWithoutExtension(path);
        AtomicFile.Write(path, s => PickleStateDict(s, stateDict, archive.Length > 0 ? archive : "archive"));
    }

    public static void PickleStateDict(Stream stream, IReadOnlyDictionary<string, Tensor> stateDict, string archiveName = "archive")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(stateDict);
        ArgumentException.ThrowIfNullOrEmpty(archiveName);
        if (archiveName.Contains('/')) throw new ArgumentException("The archive name cannot contain '/'.", nameof(archiveName));
        // .NET writes zip data descriptors on unseekable streams; PyTorch's reader wants plain local headers.
        var target = stream.CanSeek ? stream : new MemoryStream();
        using (var zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, $"{archiveName}/data.pkl", s => s.Write(Pickle(stateDict)));
            int key = 0;
            foreach (var t in stateDict.Values)
                Entry(zip, $"{archiveName}/data/{key++}", s => RawTensors.WriteTensor(s, t));
            Entry(zip, $"{archiveName}/version", s => s.Write("3\n"u8));
        }
        if (!ReferenceEquals(target, stream))
        {
            target.Position = 0;
            target.CopyTo(stream);
        }
        stream.Flush();
    }

    private static void Entry(ZipArchive zip, string name, Action<Stream> write)
    {
        var e = zip.CreateEntry(name, CompressionLevel.NoCompression);
        e.LastWriteTime = ZipEpoch; // reproducible bytes, as torch.save writes
        using var s = e.Open();
        write(s);
    }

    private static string StorageType(ScalarType t) => t switch
    {
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Int16 => "ShortStorage",
        ScalarType.Int8 => "CharStorage",
        ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        _ => throw new NotSupportedException($"no PyTorch storage type for {t}"),
    };

    /// <summary>
    /// The pickle: <c>OrderedDict([(name, _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())), …])</c>
    /// with each storage a persistent id <c>('storage', torch.XStorage, key, 'cpu', numel)</c>.
    /// </summary>
    private static byte[] Pickle(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        var p = new MemoryStream();
        p.Write([0x80, 2]);                                   // PROTO 2
        Global(p, "collections", "OrderedDict");
        p.Write([(byte)')', (byte)'R']);                      // EMPTY_TUPLE, REDUCE → OrderedDict()
        int key = 0;
        foreach (var (name, t) in stateDict)
        {
            ArgumentNullException.ThrowIfNull(t, name);
            var shape = t.shape;
            var stride = new long[shape.Length];
            for (long d = shape.Length - 1, s = 1; d >= 0; d--)
            {
                stride[d] = s;
                s *= shape[d];
            }
            p.WriteByte((byte)'(');                           // MARK: one SETITEM's key and value
            Text(p, name);
            Global(p, "torch._utils", "_rebuild_tensor_v2");
            p.WriteByte((byte)'(');                           // MARK: its argument tuple
            p.WriteByte((byte)'(');                           // MARK: the persistent id tuple
            Text(p, "storage");
            Global(p, "torch", StorageType(t.dtype));
            Text(p, (key++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Text(p, "cpu");
            Int(p, t.numel());
            p.Write([(byte)'t', (byte)'Q']);                  // TUPLE, BINPERSID
            Int(p, 0);                                        // storage offset
            Tuple(p, shape);
            Tuple(p, stride);
            p.WriteByte(0x89);                                // NEWFALSE: requires_grad
            Global(p, "collections", "OrderedDict");
            p.Write([(byte)')', (byte)'R']);                  // backward_hooks = OrderedDict()
            p.Write([(byte)'t', (byte)'R']);                  // TUPLE, REDUCE → the tensor
            p.WriteByte((byte)'u');                           // SETITEMS
        }
        p.WriteByte((byte)'.');                               // STOP
        return p.ToArray();
    }

    private static void Global(MemoryStream p, string module, string name)
    {
        p.WriteByte((byte)'c');
        p.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private static void Text(MemoryStream p, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)bytes.Length);
        p.WriteByte((byte)'X');                               // BINUNICODE
        p.Write(len);
        p.Write(bytes);
    }

    private static void Int(MemoryStream p, long v)
    {
        Span<byte> b = stackalloc byte[8];
        if (v is >= 0 and <= 0xFF) { p.WriteByte((byte)'K'); p.WriteByte((byte)v); return; }
        if (v is >= 0 and <= 0xFFFF) { p.WriteByte((byte)'M'); BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); p.Write(b[..2]); return; }
        if (v is >= int.MinValue and <= int.MaxValue) { p.WriteByte((byte)'J'); BinaryPrimitives.WriteInt32LittleEndian(b, (int)v); p.Write(b[..4]); return; }
        p.WriteByte(0x8a);                                    // LONG1: 8 bytes two's complement
        p.WriteByte(8);
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        p.Write(b);
    }

    private static void Tuple(MemoryStream p, long[] values)
    {
        if (values.Length == 0) { p.WriteByte((byte)')'); return; }
        p.WriteByte((byte)'(');
        foreach (var v in values) Int(p, v);
        p.WriteByte((byte)'t');
    }
}
