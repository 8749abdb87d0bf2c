using System.Text;
using Sr.Torch.Native;
using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch;

/// <summary>The PyTorch-named entry points: factories, joins, settings and grad modes.</summary>
public static unsafe partial class torch
{
    public static readonly Device CPU = new(DeviceType.CPU);
    public static Device CUDA => new(DeviceType.CUDA, 0);

    static torch() => NativeRuntime.EnsureLoaded();

    // ---- settings -----------------------------------------------------------------------------------
    public static string version
    {
        get
        {
            Span<byte> buf = stackalloc byte[64];
            int n;
            fixed (byte* p = buf) n = sr_version(p, buf.Length);
            return Encoding.UTF8.GetString(buf[..Math.Min(n, buf.Length - 1)]);
        }
    }

    public static string parallel_info()
    {
        var buf = new byte[8192];
        int n;
        fixed (byte* p = buf) n = sr_parallel_info(p, buf.Length);
        return Encoding.UTF8.GetString(buf, 0, Math.Min(n, buf.Length - 1));
    }

    public static void set_num_threads(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        Check.Status(sr_set_num_threads(n));
    }

    public static int get_num_threads() => sr_get_num_threads();

    /// <summary>
    /// Threads of the BLAS libtorch calls for matrix products when it is OpenBLAS (Debian's default), else null. The
    /// native library sets it to 1 when it loads, unless OPENBLAS_NUM_THREADS is set: OpenBLAS's own thread pool
    /// competing with libtorch's OpenMP threads made matrix products several times slower (see native/src/common.cpp).
    /// </summary>
    public static int? get_blas_num_threads() => sr_blas_num_threads() is var n && n > 0 ? n : null;

    /// <summary>
    /// True when CPU tensors come from the native library's caching allocator (the default; SR_MALLOC=default turns it
    /// off): blocks of 256 KiB and more are kept when their tensor dies and reused for the next request of about the same
    /// size, up to SR_CPU_CACHE_MB megabytes (2048). Without it every training step faulted its feature maps in afresh
    /// (see native/src/allocator.cpp).
    /// </summary>
    public static bool cpu_cache_enabled() => sr_cpu_cache_enabled() == 1;

    /// <summary>Bytes the caching allocator holds for reuse, and its large requests served from them (hits) or not (misses).</summary>
    public static (long CachedBytes, long Hits, long Misses) cpu_cache_stats()
    {
        sr_cpu_cache_stats(out var cached, out var hits, out var misses);
        return (cached, hits, misses);
    }

    /// <summary>Returns every block the caching allocator holds to the system (torch.cuda.empty_cache for the CPU).</summary>
    public static void cpu_empty_cache() => sr_cpu_empty_cache();

    /// <summary>
    /// Bytes of large (≥ 256 KiB) tensor blocks the caching allocator has handed out now, and the most at once since
    /// <see cref="cpu_cache_reset_peak"/> (what a piece of work needs; small tensors are not counted). Zeros when the
    /// allocator is off (SR_MALLOC=default).
    /// </summary>
    public static (long InUseBytes, long PeakBytes) cpu_cache_peak()
    {
        if (!cpu_cache_enabled()) return (0, 0);
        sr_cpu_cache_peak(out var inUse, out var peak);
        return (inUse, peak);
    }

    /// <summary>Starts a new peak measurement for <see cref="cpu_cache_peak"/> at the bytes in use now.</summary>
    public static void cpu_cache_reset_peak() => sr_cpu_cache_reset_peak();

    /// <summary>
    /// Sets how many bytes of free blocks the caching allocator keeps for reuse, releasing any excess now; a negative value
    /// restores the start-up limit (SR_CPU_CACHE_MB, default 2048 MiB).
    /// </summary>
    public static void cpu_cache_set_limit(long bytes) => sr_cpu_cache_set_limit(bytes);

    public static void manual_seed(ulong seed) => Check.Status(sr_manual_seed(seed));

    /// <summary>Makes libtorch pick deterministic algorithms (errors for ops that have none).</summary>
    public static void use_deterministic_algorithms(bool on) => Check.Status(sr_set_deterministic(on ? 1 : 0));

    /// <summary>Native tensor handles currently alive in this process (for leak checks).</summary>
    public static long LiveTensorCount => sr_live_tensors();

    public static DisposeScope NewDisposeScope() => new();

    public static class cuda
    {
        public static bool is_available() => sr_cuda_available() != 0;
        public static int device_count() => sr_cuda_device_count();
    }

    // ---- grad modes ----------------------------------------------------------------------------------
    public static bool is_grad_enabled() => sr_grad_enabled() != 0;

    /// <summary><c>using (torch.no_grad()) { ... }</c>: no autograd graph is recorded inside.</summary>
    public static IDisposable no_grad() => new GradMode(false);
    public static IDisposable enable_grad() => new GradMode(true);
    public static IDisposable set_grad_enabled(bool on) => new GradMode(on);

    /// <summary>Inference mode: no autograd and no version counting (faster than no_grad). Tensors made inside cannot enter autograd later.</summary>
    public static IDisposable inference_mode(bool on = true) => new InferenceModeGuard(on);

    private sealed class GradMode : IDisposable
    {
        private readonly bool _previous;
        public GradMode(bool on)
        {
            _previous = sr_grad_enabled() != 0;
            sr_set_grad_enabled(on ? 1 : 0);
        }
        public void Dispose() => sr_set_grad_enabled(_previous ? 1 : 0);
    }

    private sealed class InferenceModeGuard : IDisposable
    {
        private IntPtr _guard;
        public InferenceModeGuard(bool on) => _guard = Check.Handle(sr_inference_mode_enter(on ? 1 : 0));
        public void Dispose()
        {
            if (_guard == IntPtr.Zero) return;
            sr_inference_mode_exit(_guard);
            _guard = IntPtr.Zero;
        }
    }

    // ---- factories ----------------------------------------------------------------------------------
    private static Tensor Make(Factory kind, long[] shape, double value, ScalarType dtype, Device? device, bool requires_grad)
    {
        device ??= CPU;
        fixed (long* p = shape)
            return Tensor.From(sr_factory((int)kind, p, shape.Length, value, (int)dtype, (int)device.type, device.index, requires_grad ? 1 : 0));
    }

    public static Tensor empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => Make(Factory.Empty, shape, 0, dtype, device, requires_grad);
    public static Tensor zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => Make(Factory.Zeros, shape, 0, dtype, device, requires_grad);
    public static Tensor ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => Make(Factory.Ones, shape, 0, dtype, device, requires_grad);
    public static Tensor full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => Make(Factory.Full, shape, value, dtype, device, requires_grad);
    public static Tensor rand(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => Make(Factory.Rand, shape, 0, dtype, device, requires_grad);
    public static Tensor randn(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => Make(Factory.Randn, shape, 0, dtype, device, requires_grad);
    public static Tensor zeros(params long[] shape) => zeros(shape, ScalarType.Float32);
    public static Tensor ones(params long[] shape) => ones(shape, ScalarType.Float32);
    public static Tensor rand(params long[] shape) => rand(shape, ScalarType.Float32);
    public static Tensor randn(params long[] shape) => randn(shape, ScalarType.Float32);

    public static Tensor zeros_like(Tensor t) => Tensor.From(sr_like(t.Handle, (int)Factory.Zeros, 0));
    public static Tensor ones_like(Tensor t) => Tensor.From(sr_like(t.Handle, (int)Factory.Ones, 0));
    public static Tensor empty_like(Tensor t) => Tensor.From(sr_like(t.Handle, (int)Factory.Empty, 0));
    public static Tensor full_like(Tensor t, double value) => Tensor.From(sr_like(t.Handle, (int)Factory.Full, value));
    public static Tensor rand_like(Tensor t) => Tensor.From(sr_like(t.Handle, (int)Factory.Rand, 0));
    public static Tensor randn_like(Tensor t) => Tensor.From(sr_like(t.Handle, (int)Factory.Randn, 0));

    public static Tensor arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        device ??= CPU;
        return Tensor.From(sr_arange(start, end, step, (int)dtype, (int)device.type, device.index));
    }

    public static Tensor arange(long end) => arange(0, end);

    public static Tensor linspace(double start, double end, long steps, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        device ??= CPU;
        return Tensor.From(sr_linspace(start, end, steps, (int)dtype, (int)device.type, device.index));
    }

    public static Tensor randint(long low, long high, long[] shape, Device? device = null)
    {
        device ??= CPU;
        fixed (long* p = shape) return Tensor.From(sr_randint(low, high, p, shape.Length, (int)device.type, device.index));
    }

    public static Tensor randperm(long n) => Tensor.From(sr_randperm(n));

    /// <summary>Copies <paramref name="data"/> (row-major) into a new tensor of the given shape.</summary>
    public static Tensor tensor<T>(ReadOnlySpan<T> data, long[] shape, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count != data.Length) throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} elements but {data.Length} were given.", nameof(shape));
        device ??= CPU;
        fixed (T* d = data)
        fixed (long* s = shape)
            return Tensor.From(sr_from_data(d, s, shape.Length, (int)ScalarTypes.Of<T>(), (int)device.type, device.index, requires_grad ? 1 : 0));
    }

    public static Tensor tensor<T>(T[] data, long[] shape, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        tensor<T>(data.AsSpan(), shape, device, requires_grad);

    /// <summary>A 1-D tensor of the values.</summary>
    public static Tensor tensor<T>(params T[] data) where T : unmanaged => tensor<T>(data, [data.LongLength]);

    public static Tensor scalar_tensor(double value, ScalarType dtype = ScalarType.Float32) => full([], value, dtype);

    // ---- joins and free functions -----------------------------------------------------------------------
    private static Tensor Join(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        if (tensors.Count == 0) throw new ArgumentException("Expected a non-empty list of tensors.", nameof(tensors));
        var handles = new IntPtr[tensors.Count];
        bool[] added = new bool[tensors.Count];
        try
        {
            for (int i = 0; i < handles.Length; i++)
            {
                tensors[i].Handle.DangerousAddRef(ref added[i]);
                handles[i] = tensors[i].Handle.DangerousGetHandle();
            }
            fixed (IntPtr* p = handles)
                return Tensor.From(stack ? sr_stack(p, handles.Length, dim) : sr_cat(p, handles.Length, dim));
        }
        finally
        {
            for (int i = 0; i < handles.Length; i++) if (added[i]) tensors[i].Handle.DangerousRelease();
        }
    }

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: false);
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: true);
    public static Tensor where(Tensor condition, Tensor x, Tensor y) => Tensor.From(sr_where(condition.Handle, x.Handle, y.Handle));
    /// <summary>input + value · t1 / t2 in one pass, broadcast (torch.addcdiv).</summary>
    public static Tensor addcdiv(Tensor input, Tensor t1, Tensor t2, double value = 1) => Tensor.From(sr_addcdiv(input.Handle, t1.Handle, t2.Handle, value));
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor einsum(string equation, params Tensor[] operands)
    {
        var handles = new IntPtr[operands.Length];
        for (int i = 0; i < operands.Length; i++) handles[i] = operands[i].Handle.DangerousGetHandle();
        try
        {
            fixed (IntPtr* p = handles) return Tensor.From(sr_einsum(equation, p, handles.Length));
        }
        finally
        {
            GC.KeepAlive(operands);
        }
    }

    /// <summary>True when both have the same shape and every element differs by at most atol + rtol·|b|.</summary>
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var scope = NewDisposeScope();
        var ad = a.detach().to(ScalarType.Float64);
        var bd = b.detach().to(ScalarType.Float64);
        return ad.sub(bd).abs().le(bd.abs().mul(rtol).add(atol)).all().item<bool>();
    }

    /// <summary><c>torch.autograd.grad</c>: the gradients of <paramref name="output"/> with respect to each input (null where unused).</summary>
    public static Tensor?[] grad(Tensor output, IReadOnlyList<Tensor> inputs, Tensor? grad_output = null, bool create_graph = false)
    {
        var handles = new IntPtr[inputs.Count];
        var results = new IntPtr[inputs.Count];
        for (int i = 0; i < handles.Length; i++) handles[i] = inputs[i].Handle.DangerousGetHandle();
        fixed (IntPtr* p = handles)
        fixed (IntPtr* r = results)
            Check.Status(sr_autograd_grad(output.Handle, grad_output?.Handle ?? TensorHandle.Null, p, handles.Length, create_graph ? 1 : 0, r));
        GC.KeepAlive(inputs);
        return results.Select(h => h == IntPtr.Zero ? null : Tensor.From(h)).ToArray();
    }
}
