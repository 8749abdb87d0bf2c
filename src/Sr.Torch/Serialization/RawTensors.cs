using System.Runtime.InteropServices;
using Sr.Torch.Native;
using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch.Serialization;

/// <summary>Moves tensor elements between native memory and files: the raw little-endian bytes both formats store.</summary>
internal static unsafe class RawTensors
{
    /// <summary>Bytes the elements of a tensor of this shape and type occupy; null on overflow or a negative extent.</summary>
    internal static long? ByteCount(IReadOnlyList<long> shape, ScalarType dtype)
    {
        long n = dtype.ElementSize();
        try
        {
            foreach (var s in shape)
            {
                if (s < 0) return null;
                n = checked(n * s);
            }
        }
        catch (OverflowException)
        {
            return null;
        }
        return n;
    }

    internal static long ByteCount(Tensor t) => t.numel() * t.dtype.ElementSize();

    /// <summary>A new CPU tensor holding a copy of <paramref name="bytes"/> (row-major, little-endian elements).</summary>
    internal static Tensor FromBytes(ReadOnlySpan<byte> bytes, long[] shape, ScalarType dtype)
    {
        fixed (byte* p = bytes) return FromPointer(p, bytes.Length, shape, dtype);
    }

    internal static Tensor FromPointer(byte* p, long byteCount, long[] shape, ScalarType dtype)
    {
        NativeRuntime.EnsureLoaded();
        if (byteCount == 0) return torch.empty(shape, dtype);
        fixed (long* s = shape)
            return Tensor.From(sr_from_data(p, s, shape.Length, (int)dtype, 0, 0, 0));
    }

    /// <summary>Reads exactly <paramref name="byteCount"/> bytes from the stream into a new tensor; null when the stream ends first.</summary>
    internal static Tensor? ReadTensor(Stream stream, long byteCount, long[] shape, ScalarType dtype)
    {
        if (byteCount == 0) return FromPointer(null, 0, shape, dtype);
        var mem = (byte*)NativeMemory.Alloc((nuint)byteCount);
        try
        {
            long done = 0;
            while (done < byteCount)
            {
                int chunk = (int)Math.Min(byteCount - done, 1 << 30);
                int got = stream.Read(new Span<byte>(mem + done, chunk));
                if (got == 0) return null;
                done += got;
            }
            return FromPointer(mem, byteCount, shape, dtype);
        }
        finally
        {
            NativeMemory.Free(mem);
        }
    }

    /// <summary>Writes the elements (detached, on the CPU, row-major) to the stream.</summary>
    internal static void WriteTensor(Stream stream, Tensor t)
    {
        long byteCount = ByteCount(t);
        if (byteCount == 0) return;
        var mem = (byte*)NativeMemory.Alloc((nuint)byteCount);
        try
        {
            Check.Status(sr_copy_out(t.Handle, mem, byteCount));
            for (long done = 0; done < byteCount;)
            {
                int chunk = (int)Math.Min(byteCount - done, 1 << 30);
                stream.Write(new ReadOnlySpan<byte>(mem + done, chunk));
                done += chunk;
            }
        }
        finally
        {
            NativeMemory.Free(mem);
        }
    }
}
