using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// ITU-R BT.601 RGB ↔ YCbCr with MATLAB's <c>rgb2ycbcr</c>/<c>ycbcr2rgb</c> constants (the ones behind every SR table).
/// Tensors are N×3×H×W with values in [0, <paramref name="peak"/>] (peak 1 for the usual [0,1] float images, 255 for
/// uint8-valued tensors); Y, Cb, Cr come back on the same scale (Y₂₅₅·peak/255, so Y is within [16,235]·peak/255).
/// </summary>
public static class ColorConversion
{
    // Rows Y, Cb, Cr; columns R, G, B; for R,G,B in [0,1] and results in 0..255 units (MATLAB's T matrix).
    private static readonly double[,] Forward =
    {
        { 65.481, 128.553, 24.966 },
        { -37.797, -74.203, 112.0 },
        { 112.0, -93.786, -18.214 },
    };

    private static readonly double[] Offset = [16, 128, 128];
    private static readonly double[,] Inverse = Invert(Forward);

    /// <summary>
    /// RGB → YCbCr. With <paramref name="roundLikeUint8"/> each result is rounded to an integer level of 0..255 (half away
    /// from zero) and saturated, as MATLAB's rgb2ycbcr does on uint8 input; the arithmetic is done in float64 either way.
    /// </summary>
    public static Tensor RgbToYCbCr(Tensor rgb, bool roundLikeUint8 = false, double peak = 1.0)
    {
        CheckRgb(rgb, nameof(rgb));
        using var scope = torch.NewDisposeScope();
        var x = rgb.to(ScalarType.Float64);
        var channels = new Tensor[3];
        for (int c = 0; c < 3; c++) channels[c] = Combine(x, c, roundLikeUint8, peak);
        return torch.cat(channels, 1).to(rgb.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The Y channel alone (N×1×H×W); see <see cref="RgbToYCbCr"/> for the rounding and scale.</summary>
    public static Tensor RgbToY(Tensor rgb, bool roundLikeUint8 = false, double peak = 1.0)
    {
        CheckRgb(rgb, nameof(rgb));
        using var scope = torch.NewDisposeScope();
        var x = rgb.to(ScalarType.Float64);
        return Combine(x, 0, roundLikeUint8, peak).to(rgb.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>YCbCr → RGB with the exact inverse of the forward matrix (MATLAB's ycbcr2rgb); not clamped, not rounded.</summary>
    public static Tensor YCbCrToRgb(Tensor ycbcr, double peak = 1.0)
    {
        CheckRgb(ycbcr, nameof(ycbcr));
        using var scope = torch.NewDisposeScope();
        var x = ycbcr.to(ScalarType.Float64);
        // to 0..255 units, remove the offsets, then RGB01 = T⁻¹ · (YCbCr₂₅₅ − offset)
        var centred = new Tensor[3];
        for (int c = 0; c < 3; c++) centred[c] = x.narrow(1, c, 1).mul(255.0 / peak).sub(Offset[c]);
        var outs = new Tensor[3];
        for (int r = 0; r < 3; r++)
            outs[r] = (centred[0] * Inverse[r, 0] + centred[1] * Inverse[r, 1] + centred[2] * Inverse[r, 2]).mul(peak);
        return torch.cat(outs, 1).to(ycbcr.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fused form of <c>RgbToYCbCr(FromHwcUint8(rgb))</c> for 8-bit RGB rows (n×W×3 uint8, contiguous), peak 1, written to
    /// rows <paramref name="row"/>.. of <paramref name="y"/> (1×1×H×W float32) and <paramref name="cbcr"/> (1×2×H×W float32):
    /// the same double operations in the same order as the tensor ops, one pass, no temporaries (bit for bit the same; a
    /// test compares them).
    /// </summary>
    internal static unsafe void RgbBytesToYCbCr(Tensor rgb, Tensor y, Tensor cbcr, long row)
    {
        long n = rgb.size(0), w = rgb.size(1), h = y.size(2);
        byte* src = (byte*)rgb.data_ptr();
        float* dy = (float*)y.data_ptr() + row * w;
        float* dcb = (float*)cbcr.data_ptr() + row * w;
        float* dcr = dcb + h * w;
        const double toUnit = 1.0 / 255.0; // FromHwcUint8: mul(peak / 255)
        double scaleBack = 1.0 / 255.0;    // Combine: mul(peak / 255)
        var f = Forward;
        double f00 = f[0, 0], f01 = f[0, 1], f02 = f[0, 2], f10 = f[1, 0], f11 = f[1, 1], f12 = f[1, 2], f20 = f[2, 0], f21 = f[2, 1], f22 = f[2, 2];
        double o0 = Offset[0], o1 = Offset[1], o2 = Offset[2];
        Parallel.For(0, (int)n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) }, r =>
        {
            byte* p = src + r * w * 3;
            long at = r * w;
            for (long j = 0; j < w; j++, p += 3)
            {
                // The float32 image as ImageTensor makes it, then back to double as RgbToYCbCr does.
                double red = (float)(p[0] * toUnit), green = (float)(p[1] * toUnit), blue = (float)(p[2] * toUnit);
                dy[at + j] = (float)((red * f00 + green * f01 + blue * f02 + o0) * scaleBack);
                dcb[at + j] = (float)((red * f10 + green * f11 + blue * f12 + o1) * scaleBack);
                dcr[at + j] = (float)((red * f20 + green * f21 + blue * f22 + o2) * scaleBack);
            }
        });
    }

    /// <summary>
    /// Fused form of <c>ToHwcUint8(YCbCrToRgb(cat(y, cbcr)).clamp(0, 1))</c>, peak 1: <paramref name="y"/> (1×1×n×W) and
    /// <paramref name="cbcr"/> (1×2×n×W) float32, contiguous, into <paramref name="rgb"/> (n×W×3 uint8, contiguous); the same
    /// double operations in the same order, bit for bit (a test compares them).
    /// </summary>
    internal static unsafe void YCbCrToRgbBytes(Tensor y, Tensor cbcr, Tensor rgb)
    {
        long n = y.size(2), w = y.size(3);
        float* sy = (float*)y.data_ptr();
        float* scb = (float*)cbcr.data_ptr();
        float* scr = scb + n * w;
        byte* dst = (byte*)rgb.data_ptr();
        var m = Inverse;
        double i00 = m[0, 0], i01 = m[0, 1], i02 = m[0, 2], i10 = m[1, 0], i11 = m[1, 1], i12 = m[1, 2], i20 = m[2, 0], i21 = m[2, 1], i22 = m[2, 2];
        double o0 = Offset[0], o1 = Offset[1], o2 = Offset[2];
        Parallel.For(0, (int)n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) }, r =>
        {
            long at = r * w;
            byte* q = dst + at * 3;
            for (long j = 0; j < w; j++, q += 3)
            {
                double c0 = sy[at + j] * 255.0 - o0, c1 = scb[at + j] * 255.0 - o1, c2 = scr[at + j] * 255.0 - o2;
                q[0] = ToByte((float)((c0 * i00 + c1 * i01 + c2 * i02) * 1.0));
                q[1] = ToByte((float)((c0 * i10 + c1 * i11 + c2 * i12) * 1.0));
                q[2] = ToByte((float)((c0 * i20 + c1 * i21 + c2 * i22) * 1.0));
            }
        });

        // clamp(0, 1) in float32, then ImageTensor.ToHwcUint8: floor(v·255 + 0.5) clamped to 0..255, in double.
        static byte ToByte(float v)
        {
            float c = v < 0f ? 0f : v > 1f ? 1f : v;
            double level = Math.Floor(c * 255.0 + 0.5);
            return (byte)(level < 0 ? 0 : level > 255 ? 255 : level);
        }
    }

    private static Tensor Combine(Tensor x, int row, bool round, double peak)
    {
        // MATLAB (imlincomb on uint8): (T/255)·RGB₂₅₅ + offset, computed in double, then rounded.
        double s = 1.0 / peak;
        var v = x.narrow(1, 0, 1) * (Forward[row, 0] * s) + x.narrow(1, 1, 1) * (Forward[row, 1] * s) + x.narrow(1, 2, 1) * (Forward[row, 2] * s);
        v = v.add(Offset[row]);
        if (round) v = v.add(0.5).floor().clamp(0, 255);
        return peak == 255 ? v : v.mul(peak / 255.0);
    }

    private static void CheckRgb(Tensor t, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        var s = t.shape;
        if (s.Length != 4 || s[1] != 3)
            throw new ArgumentException($"Expected an N×3×H×W tensor, got [{string.Join("×", s)}].", name);
    }

    private static double[,] Invert(double[,] m)
    {
        double a = m[0, 0], b = m[0, 1], c = m[0, 2], d = m[1, 0], e = m[1, 1], f = m[1, 2], g = m[2, 0], h = m[2, 1], i = m[2, 2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new[,]
        {
            { (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det },
            { (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det },
            { (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det },
        };
    }
}
