using System.Collections.Concurrent;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// MATLAB's <c>imresize</c>, exact: per dimension a weight matrix (MATLAB's <c>contributions</c>: u = x/s + ½(1 − 1/s),
/// kernel stretched by 1/s when downscaling with antialiasing, taps normalised to sum 1, out-of-range taps folded back by
/// the border rule), applied as matrix products, the dimension with the smaller scale first (height first on a tie).
/// The matrices are computed once per (in size, out size, scale, kernel, border) and cached; wide images are cut into
/// bands of output rows so each product only touches the input rows it needs (the matrices are banded).
/// </summary>
public static class MatlabResize
{
    private const int MaxCachedPlans = 1024;
    private const int BandTapsFactor = 3;
    private static readonly ConcurrentDictionary<PlanKey, ResizePlan> Plans = new();

    /// <summary>Resizes both dimensions by <paramref name="scale"/>; the output size is ceil(size·scale), as MATLAB's.</summary>
    public static Tensor Resize(Tensor x, double scale, ResizeOptions? options = null)
    {
        CheckInput(x);
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be a positive number.");
        var s = x.shape;
        return Core(x, OutLength(s[2], scale), OutLength(s[3], scale), scale, scale, options ?? ResizeOptions.Default);
    }

    /// <summary>Resizes to the given size; each dimension's scale is out/in, as MATLAB's imresize(x, [h w]).</summary>
    public static Tensor Resize(Tensor x, long outHeight, long outWidth, ResizeOptions? options = null)
    {
        CheckInput(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        var s = x.shape;
        return Core(x, outHeight, outWidth, (double)outHeight / s[2], (double)outWidth / s[3], options ?? ResizeOptions.Default);
    }

    /// <summary>imresize(x, 1/<paramref name="factor"/>): the output is ceil(size/factor) (exact for mod-cropped input).</summary>
    public static Tensor Downscale(Tensor x, int factor, ResizeOptions? options = null)
    {
        CheckInput(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        var s = x.shape;
        double scale = 1.0 / factor;
        return Core(x, (s[2] + factor - 1) / factor, (s[3] + factor - 1) / factor, scale, scale, options ?? ResizeOptions.Default);
    }

    /// <summary>imresize(x, <paramref name="factor"/>): the output is factor·size.</summary>
    public static Tensor Upscale(Tensor x, int factor, ResizeOptions? options = null)
    {
        CheckInput(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        var s = x.shape;
        return Core(x, s[2] * factor, s[3] * factor, factor, factor, options ?? ResizeOptions.Default);
    }

    /// <summary>
    /// The dense weight matrix (row-major, <paramref name="outLength"/>×<paramref name="inLength"/>) that maps one dimension:
    /// row r holds the weights of output sample r on the input samples, border taps folded in. Every row sums to 1.
    /// </summary>
    public static double[] Weights(int inLength, int outLength, double scale, ResizeKernel kernel = ResizeKernel.Cubic,
        ResizeBorder border = ResizeBorder.Symmetric, bool antialias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outLength);
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive.");
        var w = new double[(long)outLength * inLength];
        double width = kernel switch { ResizeKernel.Cubic => 4, ResizeKernel.Triangle => 2, _ => 1 };
        bool stretch = antialias && scale < 1 && kernel != ResizeKernel.Nearest;
        if (stretch) width /= scale;
        int taps = (int)Math.Ceiling(width) + 2;
        var h = new double[taps];
        for (int x = 1; x <= outLength; x++)
        {
            double u = x / scale + 0.5 * (1 - 1 / scale);
            long left = (long)Math.Floor(u - width / 2);
            double sum = 0;
            for (int j = 0; j < taps; j++)
            {
                double d = u - (left + j);
                h[j] = stretch ? scale * Kernel(kernel, scale * d) : Kernel(kernel, d);
                sum += h[j];
            }
            if (sum == 0) throw new InvalidOperationException($"No input sample contributes to output {x} ({inLength}→{outLength}).");
            long row = (long)(x - 1) * inLength;
            for (int j = 0; j < taps; j++)
            {
                if (h[j] == 0) continue;
                w[row + Fold(left + j, inLength, border)] += h[j] / sum;
            }
        }
        return w;
    }

    /// <summary>The 1-D kernels exactly as MATLAB's imresize writes them (note the half-open box and the closed triangle).</summary>
    public static double Kernel(ResizeKernel kernel, double x)
    {
        switch (kernel)
        {
            case ResizeKernel.Cubic:
                double a = Math.Abs(x), a2 = a * a, a3 = a2 * a;
                if (a <= 1) return 1.5 * a3 - 2.5 * a2 + 1;
                if (a <= 2) return -0.5 * a3 + 2.5 * a2 - 4 * a + 2;
                return 0;
            case ResizeKernel.Triangle:
                if (x >= -1 && x < 0) return x + 1;
                if (x >= 0 && x <= 1) return 1 - x;
                return 0;
            default:
                return x >= -0.5 && x < 0.5 ? 1 : 0;
        }
    }

    /// <summary>Zero-based input index of a one-based tap index, folded back by the border rule.</summary>
    private static int Fold(long oneBased, int n, ResizeBorder border)
    {
        long i = oneBased - 1;
        if (border == ResizeBorder.Replicate) return (int)Math.Clamp(i, 0, n - 1);
        long m = ((i % (2L * n)) + 2L * n) % (2L * n); // MATLAB: aux = [1:n, n:-1:1]
        return (int)(m < n ? m : 2L * n - 1 - m);
    }

    private static long OutLength(long inLength, double scale)
    {
        // ceil(in·scale) as MATLAB; the tolerance keeps 255·(1/3) from turning into 86.
        double v = inLength * scale;
        double r = Math.Round(v);
        return Math.Max(1, Math.Abs(v - r) < 1e-9 * Math.Max(1, v) ? (long)r : (long)Math.Ceiling(v));
    }

    private static Tensor Core(Tensor x, long outH, long outW, double scaleH, double scaleW, ResizeOptions o)
    {
        var s = x.shape;
        using var scope = torch.NewDisposeScope();
        Tensor y = x;
        // MATLAB resizes the dimension with the smallest scale first; on a tie, rows (height) first.
        bool heightFirst = scaleH <= scaleW;
        for (int pass = 0; pass < 2; pass++)
        {
            bool height = heightFirst == (pass == 0);
            int dim = height ? 2 : 3;
            long inLen = s[dim], outLen = height ? outH : outW;
            double scale = height ? scaleH : scaleW;
            if (inLen == outLen && scale == 1) continue;
            var plan = GetPlan(new PlanKey((int)inLen, (int)outLen, BitConverter.DoubleToInt64Bits(scale), o.Kernel, o.Border, o.Antialias));
            y = plan.Apply(y, dim, x.dtype, x.device);
            if (o.RoundEachPassToUint8) y = ImageTensor.QuantizeToUint8Levels(y, o.Peak);
        }
        return (ReferenceEquals(y, x) ? x.clone() : y).MoveToOuterDisposeScope();
    }

    private static ResizePlan GetPlan(PlanKey key)
    {
        if (Plans.TryGetValue(key, out var plan)) return plan;
        if (Plans.Count >= MaxCachedPlans) Plans.Clear();
        return Plans.GetOrAdd(key, k => new ResizePlan(k));
    }

    private static void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4) throw new ArgumentException($"MatlabResize works on N×C×H×W tensors, got [{string.Join("×", x.shape)}].", nameof(x));
        if (x.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"MatlabResize needs a float32 or float64 tensor, got {x.dtype}.", nameof(x));
    }

    private readonly record struct PlanKey(int In, int Out, long ScaleBits, ResizeKernel Kernel, ResizeBorder Border, bool Antialias);

    /// <summary>The weight matrix of one dimension, cut into bands of output samples with the input range each needs.</summary>
    private sealed class ResizePlan
    {
        private readonly Band[] _bands;

        public ResizePlan(PlanKey k)
        {
            double scale = BitConverter.Int64BitsToDouble(k.ScaleBits);
            var w = Weights(k.In, k.Out, scale, k.Kernel, k.Border, k.Antialias);
            // Bands: a band of L outputs needs about (L−1)·in/out + taps inputs, so its product does that many multiply-adds
            // per output instead of in (dense). Bands spanning ~3× the taps keep the waste at ~3× the minimum with few products.
            int taps = 1;
            for (int r = 0; r < k.Out; r++)
            {
                int lo = -1, hi = -1;
                for (int c = 0; c < k.In; c++)
                    if (w[(long)r * k.In + c] != 0) { if (lo < 0) lo = c; hi = c; }
                taps = Math.Max(taps, hi - lo + 1);
            }
            int span = BandTapsFactor * taps;
            int bandLen = k.In <= span ? k.Out : Math.Max(1, (int)((span - taps) * (double)k.Out / k.In) + 1);
            var bands = new List<Band>();
            for (int o0 = 0; o0 < k.Out; o0 += bandLen)
            {
                int len = Math.Min(bandLen, k.Out - o0);
                int lo = k.In, hi = -1;
                for (int r = o0; r < o0 + len; r++)
                    for (int c = 0; c < k.In; c++)
                        if (w[(long)r * k.In + c] != 0) { lo = Math.Min(lo, c); hi = Math.Max(hi, c); }
                int iLen = hi - lo + 1;
                var sub = new double[len * iLen];
                for (int r = 0; r < len; r++)
                    Array.Copy(w, (long)(o0 + r) * k.In + lo, sub, (long)r * iLen, iLen);
                bands.Add(new Band(o0, len, lo, iLen, sub));
            }
            _bands = bands.ToArray();
        }

        public Tensor Apply(Tensor x, int dim, ScalarType dtype, Device device)
        {
            var parts = new Tensor[_bands.Length];
            for (int b = 0; b < _bands.Length; b++)
            {
                var band = _bands[b];
                var input = band.InLength == x.shape[dim] ? x : x.narrow(dim, band.InStart, band.InLength);
                parts[b] = dim == 2
                    ? band.Matrix(dtype, device, transposed: false).matmul(input)
                    : input.matmul(band.Matrix(dtype, device, transposed: true));
            }
            return parts.Length == 1 ? parts[0] : torch.cat(parts, dim);
        }
    }

    private sealed class Band(int outStart, int outLength, int inStart, int inLength, double[] weights)
    {
        private readonly ConcurrentDictionary<(ScalarType, DeviceType, int, bool), Tensor> _tensors = new();
        public int OutStart { get; } = outStart;
        public int OutLength { get; } = outLength;
        public int InStart { get; } = inStart;
        public int InLength { get; } = inLength;

        public Tensor Matrix(ScalarType dtype, Device device, bool transposed) =>
            _tensors.GetOrAdd((dtype, device.type, device.index, transposed), key =>
            {
                // Cached across calls: created outside any dispose scope of the caller.
                using var t = torch.tensor(weights, [OutLength, InLength]).DetachFromDisposeScope();
                using var oriented = (transposed ? t.t() : t.alias()).DetachFromDisposeScope();
                using var converted = oriented.to(key.Item1, device).DetachFromDisposeScope();
                return converted.contiguous().DetachFromDisposeScope();
            });
    }
}
