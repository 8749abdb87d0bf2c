using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Sr.Torch.Native;
using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch;

/// <summary>
/// A libtorch tensor. Owns its native handle (a <see cref="SafeHandle"/>): dispose it, or let a
/// <see cref="DisposeScope"/> do so; the finalizer is only a safety net.
/// </summary>
public unsafe partial class Tensor : IDisposable
{
    internal TensorHandle Handle;

    static Tensor() => NativeRuntime.EnsureLoaded();

    internal Tensor(IntPtr handle)
    {
        Handle = new TensorHandle(Check.Handle(handle));
        DisposeScope.Current?.Attach(this);
    }

    /// <summary>Wraps a native result; throws the pending native error when the handle is null.</summary>
    internal static Tensor From(IntPtr handle) => new(handle);

    internal DisposeScope? OwningScope { get; set; }

    public bool IsInvalid => Handle.IsInvalid || Handle.IsClosed;

    public void Dispose()
    {
        OwningScope?.Forget(this);
        OwningScope = null;
        Handle.Dispose();
        GC.SuppressFinalize(this);
    }

    // ---- metadata ------------------------------------------------------------------------------
    public long[] shape
    {
        get
        {
            Span<long> buf = stackalloc long[16];
            int n;
            fixed (long* p = buf) n = sr_shape(Handle, p, buf.Length);
            return buf[..n].ToArray();
        }
    }

    public long[] stride()
    {
        Span<long> buf = stackalloc long[16];
        int n;
        fixed (long* p = buf) n = sr_strides(Handle, p, buf.Length);
        return buf[..n].ToArray();
    }

    public long size(int dim)
    {
        var s = shape;
        return s[dim < 0 ? dim + s.Length : dim];
    }

    public long dim() => sr_ndim(Handle);
    public long ndim => sr_ndim(Handle);
    public long numel() => sr_numel(Handle);
    public ScalarType dtype => (ScalarType)sr_dtype(Handle);
    public Device device => new((DeviceType)sr_device_type(Handle), sr_device_index(Handle));
    public bool is_contiguous() => sr_is_contiguous(Handle, 0) != 0;
    public bool is_channels_last() => sr_is_contiguous(Handle, 1) != 0;

    // ---- autograd --------------------------------------------------------------------------------
    public bool requires_grad
    {
        get => sr_requires_grad(Handle) != 0;
        set => Check.Status(sr_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool on = true)
    {
        requires_grad = on;
        return this;
    }

    public bool is_leaf => sr_is_leaf(Handle) != 0;

    /// <summary>The accumulated gradient (a new handle to the shared storage), or null.</summary>
    public Tensor? grad
    {
        get
        {
            var h = sr_grad(Handle);
            if (h == IntPtr.Zero)
            {
                var err = Check.TakeError();
                if (err != null) throw new TorchException(err);
                return null;
            }
            return new Tensor(h);
        }
        set => Check.Status(sr_set_grad(Handle, value?.Handle ?? TensorHandle.Null));
    }

    public Tensor detach() => From(sr_detach(Handle));

    public void backward(Tensor? gradient = null, bool retain_graph = false) =>
        Check.Status(sr_backward(Handle, gradient?.Handle ?? TensorHandle.Null, retain_graph ? 1 : 0));

    // ---- data ----------------------------------------------------------------------------------------
    /// <summary>Copies the elements (row-major) into a new array; <typeparamref name="T"/> must match <see cref="dtype"/>.</summary>
    public T[] data<T>() where T : unmanaged
    {
        var want = ScalarTypes.Of<T>();
        if (want != dtype) throw new InvalidOperationException($"Tensor of dtype {dtype} cannot be read as {typeof(T).Name} ({want}); convert with .to(ScalarType.{want}) first.");
        var result = new T[numel()];
        fixed (T* p = result) Check.Status(sr_copy_out(Handle, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>
    /// The address of the first element of a contiguous CPU tensor, for loops that read or write its elements in place;
    /// valid while the tensor lives. Throws for other tensors (make them contiguous first).
    /// </summary>
    public IntPtr data_ptr()
    {
        var p = sr_data_ptr(Handle);
        if (p == null) throw new InvalidOperationException($"data_ptr needs a defined, contiguous CPU tensor (got [{string.Join("×", shape)}], contiguous: {is_contiguous()}).");
        return (IntPtr)p;
    }

    /// <summary>Copies the elements into <paramref name="destination"/> (row-major); dtype and length must match.</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        if (ScalarTypes.Of<T>() != dtype) throw new InvalidOperationException($"Tensor of dtype {dtype} cannot be read as {typeof(T).Name}.");
        fixed (T* p = destination) Check.Status(sr_copy_out(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>Overwrites the elements from <paramref name="source"/> (row-major), without recording autograd.</summary>
    public void CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        if (ScalarTypes.Of<T>() != dtype) throw new InvalidOperationException($"Tensor of dtype {dtype} cannot be written from {typeof(T).Name}.");
        fixed (T* p = source) Check.Status(sr_copy_in(Handle, p, (long)source.Length * sizeof(T)));
    }

    public T item<T>() where T : unmanaged
    {
        double v = sr_item(Handle, out int status);
        if (status != 0) throw Check.Failure("item() failed");
        return typeof(T) == typeof(bool) ? (T)(object)(v != 0) : (T)Convert.ChangeType(v, typeof(T), CultureInfo.InvariantCulture);
    }

    public double ToDouble() => item<double>();
    public float ToSingle() => item<float>();
    public long ToInt64() => item<long>();

    // ---- conversion --------------------------------------------------------------------------------
    public Tensor to(ScalarType type, bool copy = false) => From(sr_to(Handle, (int)type, (int)device.type, device.index, copy ? 1 : 0));
    public Tensor to(Device target, bool copy = false) => From(sr_to(Handle, -1, (int)target.type, target.index, copy ? 1 : 0));
    public Tensor to(ScalarType type, Device target) => From(sr_to(Handle, (int)type, (int)target.type, target.index, 0));
    public Tensor cpu() => to(torch.CPU);
    public Tensor cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));
    public Tensor @float() => to(ScalarType.Float32);
    public Tensor @double() => to(ScalarType.Float64);
    public Tensor @long() => to(ScalarType.Int64);
    public Tensor @byte() => to(ScalarType.Byte);
    public Tensor @bool() => to(ScalarType.Bool);
    public Tensor contiguous() => From(sr_contiguous(Handle, 0));
    public Tensor contiguous(MemoryFormat format) => From(sr_contiguous(Handle, format == MemoryFormat.ChannelsLast ? 1 : 0));
    public Tensor clone() => From(sr_clone(Handle));

    /// <summary>A second handle to the same tensor (same storage and autograd identity), owned separately.</summary>
    public Tensor alias() => From(sr_alias(Handle));

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(string.Join("x", shape)).Append("], type = ").Append(dtype).Append(", device = ").Append(device);
        return sb.ToString();
    }

    /// <summary>A short string with values (up to <paramref name="max"/> of them), for debugging.</summary>
    public string ToString(int max)
    {
        using var flat = detach().to(ScalarType.Float64).reshape(-1);
        var values = flat.data<double>();
        var shown = values.Take(max).Select(v => v.ToString("G6", CultureInfo.InvariantCulture));
        return ToString() + " {" + string.Join(", ", shown) + (values.Length > max ? ", …" : "") + "}";
    }
}

public enum MemoryFormat
{
    Contiguous,
    ChannelsLast,
}

public partial class Tensor
{
    /// <summary>Replaces the native tensor this object stands for (Module.to keeps parameter identity this way).</summary>
    internal void SwapHandle(IntPtr replacement)
    {
        var old = Handle;
        Handle = new TensorHandle(Check.Handle(replacement));
        old.Dispose();
    }
}
