using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Network weights as a side stream of a model zip, in TorchSharp's <c>Module.save</c> byte layout, so a later move to
/// TorchSharp reads these weights unchanged (ML.NET's TorchSharp package stores its "TSModel" stream the same way).
/// *** Binary format ***
///   LEB128 count
///   count × { .NET BinaryWriter string (7-bit length-prefixed UTF-8) name; LEB128 dtype (c10 ScalarType code);
///             LEB128 ndim; ndim × LEB128 dim; raw little-endian elements, row-major }
/// </summary>
internal static class StateDictStream
{
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> state)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        WriteLeb(w, state.Count);
        foreach (var (name, tensor) in state)
        {
            w.Write(name);
            using var cpu = tensor.detach().cpu().contiguous();
            WriteLeb(w, (long)cpu.dtype);
            var shape = cpu.shape;
            WriteLeb(w, shape.Length);
            foreach (var d in shape) WriteLeb(w, d);
            var bytes = new byte[cpu.numel() * cpu.dtype.ElementSize()];
            if (cpu.dtype == ScalarType.Float32) cpu.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
            else if (cpu.dtype == ScalarType.Int64) cpu.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes.AsSpan()));
            else throw new NotSupportedException($"Weight '{name}' has dtype {cpu.dtype}; model zips store float32 and int64 tensors.");
            w.Write(bytes);
        }
    }

    /// <summary>Reads every tensor (the caller disposes them); <paramref name="fail"/> builds the error for corrupt data.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, Func<string, Exception> fail)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            long count = ReadLeb(r);
            if (count < 0 || count > 1_000_000) throw fail($"the weights stream declares {count} tensors");
            for (long i = 0; i < count; i++)
            {
                var name = r.ReadString();
                var dtype = (ScalarType)ReadLeb(r);
                long ndim = ReadLeb(r);
                if (ndim is < 0 or > 8) throw fail($"weight '{name}' declares {ndim} dimensions");
                var shape = new long[ndim];
                long numel = 1;
                for (int d = 0; d < ndim; d++)
                {
                    shape[d] = ReadLeb(r);
                    if (shape[d] < 0) throw fail($"weight '{name}' has a negative dimension");
                    numel = checked(numel * shape[d]);
                }
                if (dtype is not (ScalarType.Float32 or ScalarType.Int64)) throw fail($"weight '{name}' has unsupported dtype code {(int)dtype}");
                long nbytes = checked(numel * dtype.ElementSize());
                if (nbytes > stream.Length - stream.Position) throw fail($"weight '{name}' needs {nbytes:N0} bytes but the stream ends first (truncated)");
                var bytes = r.ReadBytes((int)nbytes);
                var t = dtype == ScalarType.Float32
                    ? torch.tensor<float>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan()), shape)
                    : torch.tensor<long>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes.AsSpan()), shape);
                if (!result.TryAdd(name, t.DetachFromDisposeScope())) throw fail($"weight '{name}' appears twice");
            }
            if (stream.Position != stream.Length) throw fail("the weights stream has trailing bytes");
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or OverflowException or IOException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw fail($"the weights stream is corrupt ({e.Message})");
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    private static void WriteLeb(BinaryWriter w, long value)
    {
        ulong v = (ulong)value;
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            if (v != 0) b |= 0x80;
            w.Write(b);
        } while (v != 0);
    }

    private static long ReadLeb(BinaryReader r)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = r.ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return (long)result;
        }
        throw new OverflowException("LEB128 value longer than 64 bits");
    }
}
