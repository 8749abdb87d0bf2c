using System.Collections.Concurrent;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// MATLAB's <c>imresize</c>, exact: per dimension a weight matrix (MATLAB's <c>contributions</c>: u = x/s + ½(1 − 1/s),
/// kernel stretched by 1/s when downscaling with antialiasing, taps normalised to sum 1, out-of-range taps folded back by
/// the border rule), the dimension with the smaller scale first (height first on a tie). Each pass gathers the few taps
/// of every output sample (sparse rows of the weight matrix, computed once per in size, out size, scale, kernel and border,
/// and cached) and sums them in ascending input order in double precision, on the thread pool.
/// </summary>
public static class MatlabResize
{
    private const int MaxCachedPlans = 1024;
    private static readonly ConcurrentDictionary<PlanKey, ResizeTaps> Plans = new();

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
        var taps = Taps(inLength, outLength, scale, kernel, border, antialias);
        var w = new double[(long)outLength * inLength];
        for (int r = 0; r < outLength; r++)
            for (int k = taps.Start[r]; k < taps.Start[r + 1]; k++) w[(long)r * inLength + taps.Index[k]] = taps.Weight[k];
        return w;
    }

    /// <summary>
    /// The non-zero weights of <see cref="Weights"/>, row by row: output r takes Weight[k]·input[Index[k]] for k in
    /// Start[r]..Start[r+1]−1, input indices ascending (folded border taps merged into one weight each, summed in tap order).
    /// </summary>
    internal static ResizeTaps Taps(int inLength, int outLength, double scale, ResizeKernel kernel = ResizeKernel.Cubic,
        ResizeBorder border = ResizeBorder.Symmetric, bool antialias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outLength);
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive.");
        double width = kernel switch { ResizeKernel.Cubic => 4, ResizeKernel.Triangle => 2, _ => 1 };
        bool stretch = antialias && scale < 1 && kernel != ResizeKernel.Nearest;
        if (stretch) width /= scale;
        int taps = (int)Math.Ceiling(width) + 2;
        var h = new double[taps];
        var start = new int[outLength + 1];
        var index = new List<int>(outLength * Math.Min(taps, inLength));
        var weight = new List<double>(outLength * Math.Min(taps, inLength));
        var rowIdx = new int[taps];
        var rowW = new double[taps];
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
            // The dense rule w[fold] += h/sum in tap order (the first term lands on an exact 0), kept per distinct index.
            int n = 0;
            for (int j = 0; j < taps; j++)
            {
                if (h[j] == 0) continue;
                int f = Fold(left + j, inLength, border);
                int at = Array.IndexOf(rowIdx, f, 0, n);
                if (at < 0) { rowIdx[n] = f; rowW[n] = 0.0 + h[j] / sum; n++; }
                else rowW[at] += h[j] / sum;
            }
            Array.Sort(rowIdx, rowW, 0, n);
            start[x - 1] = index.Count;
            for (int k = 0; k < n; k++)
            {
                if (rowW[k] == 0) continue; // folded taps that cancelled: the dense matrix holds a zero there
                index.Add(rowIdx[k]);
                weight.Add(rowW[k]);
            }
        }
        start[outLength] = index.Count;
        return new ResizeTaps(start, index.ToArray(), weight.ToArray());
    }

    /// <summary>Sparse rows of a resize weight matrix (see <see cref="Taps"/>).</summary>
    internal sealed record ResizeTaps(int[] Start, int[] Index, double[] Weight)
    {
        /// <summary>The lowest and highest input index read by outputs <paramref name="from"/>..<paramref name="to"/>−1.</summary>
        public (int Lo, int Hi) InputRange(int from, int to)
        {
            int lo = int.MaxValue, hi = int.MinValue;
            for (int r = from; r < to; r++)
            {
                for (int k = Start[r]; k < Start[r + 1]; k++)
                {
                    lo = Math.Min(lo, Index[k]);
                    hi = Math.Max(hi, Index[k]);
                }
            }
            return (lo, hi);
        }
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

    private static Tensor Core(Tensor x, long outH, long outW, double scaleH, double scaleW, ResizeOptions o) =>
        CoreRows(x, outH, outW, scaleH, scaleW, o, 0, outH);

    /// <summary>
    /// Output rows <paramref name="rowFrom"/>..<paramref name="rowTo"/>−1 of <c>Upscale(x, factor)</c>, bit for bit the same
    /// values (each output sample is the same weighted sum of the same inputs), reading only the input rows they need: for
    /// working on large images in strips.
    /// </summary>
    internal static Tensor UpscaleRows(Tensor x, int factor, long rowFrom, long rowTo, ResizeOptions? options = null)
    {
        CheckInput(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        var s = x.shape;
        if (rowFrom < 0 || rowTo > s[2] * factor || rowFrom >= rowTo) throw new ArgumentOutOfRangeException(nameof(rowFrom), $"Rows {rowFrom}..{rowTo} outside 0..{s[2] * factor}.");
        return CoreRows(x, s[2] * factor, s[3] * factor, factor, factor, options ?? ResizeOptions.Default, rowFrom, rowTo);
    }

    private static Tensor CoreRows(Tensor x, long outH, long outW, double scaleH, double scaleW, ResizeOptions o, long rowFrom, long rowTo)
    {
        var s = x.shape;
        using var scope = torch.NewDisposeScope();
        var device = x.device;
        Tensor y = device.type == DeviceType.CPU ? x.contiguous() : x.to(new Device(DeviceType.CPU)).contiguous();
        var hKey = new PlanKey((int)s[2], (int)outH, BitConverter.DoubleToInt64Bits(scaleH), o.Kernel, o.Border, o.Antialias);
        var wKey = new PlanKey((int)s[3], (int)outW, BitConverter.DoubleToInt64Bits(scaleW), o.Kernel, o.Border, o.Antialias);
        bool skipH = s[2] == outH && scaleH == 1, skipW = s[3] == outW && scaleW == 1;
        bool partial = rowFrom != 0 || rowTo != outH;
        // MATLAB resizes the dimension with the smallest scale first; on a tie, rows (height) first.
        if (scaleH <= scaleW)
        {
            if (!skipH) y = Round(ResizePass.Gather(y, 2, GetPlan(hKey), (int)rowFrom, (int)rowTo, 0), o);
            else if (partial) y = y.narrow(2, rowFrom, rowTo - rowFrom);
            if (!skipW) y = Round(ResizePass.Gather(y, 3, GetPlan(wKey), 0, (int)outW, 0), o);
        }
        else
        {
            int lo = (int)rowFrom, hi = (int)rowTo - 1;
            if (!skipH && partial) (lo, hi) = GetPlan(hKey).InputRange((int)rowFrom, (int)rowTo);
            if (!skipH && partial) y = y.narrow(2, lo, hi - lo + 1).contiguous();
            else if (skipH && partial) y = y.narrow(2, rowFrom, rowTo - rowFrom).contiguous();
            if (!skipW) y = Round(ResizePass.Gather(y, 3, GetPlan(wKey), 0, (int)outW, 0), o);
            if (!skipH) y = Round(ResizePass.Gather(y, 2, GetPlan(hKey), (int)rowFrom, (int)rowTo, partial ? lo : 0), o);
        }
        if (device.type != DeviceType.CPU) y = y.to(device);
        return (ReferenceEquals(y, x) ? x.clone() : y).MoveToOuterDisposeScope();
    }

    private static Tensor Round(Tensor y, ResizeOptions o) => o.RoundEachPassToUint8 ? ImageTensor.QuantizeToUint8Levels(y, o.Peak) : y;

    private static ResizeTaps GetPlan(PlanKey key)
    {
        if (Plans.TryGetValue(key, out var plan)) return plan;
        if (Plans.Count >= MaxCachedPlans) Plans.Clear();
        return Plans.GetOrAdd(key, k => Taps(k.In, k.Out, BitConverter.Int64BitsToDouble(k.ScaleBits), k.Kernel, k.Border, k.Antialias));
    }

    private static void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4) throw new ArgumentException($"MatlabResize works on N×C×H×W tensors, got [{string.Join("×", x.shape)}].", nameof(x));
        if (x.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"MatlabResize needs a float32 or float64 tensor, got {x.dtype}.", nameof(x));
    }

    private readonly record struct PlanKey(int In, int Out, long ScaleBits, ResizeKernel Kernel, ResizeBorder Border, bool Antialias);
}
