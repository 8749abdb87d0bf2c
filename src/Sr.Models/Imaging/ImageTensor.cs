using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Imaging;

/// <summary>
/// Between decoded files (H×W×C, uint8, RGB(A) or gray) and float tensors (N×C×H×W). The scale is explicit:
/// <c>peak</c> is the value that stands for 255 (1 for [0,1] images, 255 for uint8-valued tensors).
/// </summary>
public static class ImageTensor
{
    /// <summary>
    /// Converts a decoded image to a 1×C×H×W tensor of <paramref name="dtype"/> with values in [0, <paramref name="peak"/>].
    /// Gray stays one channel; alpha follows <paramref name="alpha"/>. A 16-bit image is brought to 8-bit levels first,
    /// v₈ = round(v₁₆/257) (MATLAB's im2uint8), and the notes say so: every number SrMlNet reports is on the 0..255 scale.
    /// </summary>
    public static ConvertedImage FromDecoded(DecodedImage image, AlphaHandling alpha = AlphaHandling.Drop,
        ScalarType dtype = ScalarType.Float32, double peak = 1.0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peak);
        var notes = new List<string>();
        using var scope = torch.NewDisposeScope();
        var px = image.Pixels.to(ScalarType.Float64);
        if (image.BitDepth > 8)
        {
            px = px.div(257.0).add(0.5).floor().clamp(0, 255);
            notes.Add($"{image.BitDepth}-bit image scaled to 8-bit levels (round(v/257))");
        }
        int c = image.Channels;
        if (c is 2 or 4)
        {
            switch (alpha)
            {
                case AlphaHandling.Drop:
                    px = px.narrow(2, 0, c - 1);
                    notes.Add("alpha channel dropped");
                    break;
                case AlphaHandling.Reject:
                    throw new ArgumentException($"{image.Source}: has an alpha channel ({c} channels) and alpha is rejected.");
                case AlphaHandling.Keep:
                    notes.Add("alpha channel kept");
                    break;
            }
        }
        else if (c != 1 && c != 3)
        {
            throw new ArgumentException($"{image.Source}: has {c} channels; expected 1 (gray), 3 (RGB) or 4 (RGBA).");
        }
        var nchw = px.permute(2, 0, 1).unsqueeze(0);
        if (peak != 255) nchw = nchw.mul(peak / 255.0);
        var result = nchw.to(dtype).contiguous().MoveToOuterDisposeScope();
        return new ConvertedImage(result, notes);
    }

    /// <summary>An H×W×C uint8 tensor (e.g. <see cref="DecodedImage.Pixels"/>) as 1×C×H×W in [0, <paramref name="peak"/>].</summary>
    public static Tensor FromHwcUint8(Tensor hwc, ScalarType dtype = ScalarType.Float32, double peak = 1.0)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        if (hwc.dim() != 3) throw new ArgumentException($"Expected an H×W×C tensor, got [{string.Join("×", hwc.shape)}].", nameof(hwc));
        using var scope = torch.NewDisposeScope();
        var t = hwc.to(ScalarType.Float64).permute(2, 0, 1).unsqueeze(0);
        if (peak != 255) t = t.mul(peak / 255.0);
        return t.to(dtype).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Image <paramref name="index"/> of an N×C×H×W tensor as H×W×C uint8: rounded (half away from zero) and clamped to 0..255.</summary>
    public static Tensor ToHwcUint8(Tensor nchw, int index = 0, double peak = 1.0)
    {
        ArgumentNullException.ThrowIfNull(nchw);
        if (nchw.dim() != 4) throw new ArgumentException($"Expected an N×C×H×W tensor, got [{string.Join("×", nchw.shape)}].", nameof(nchw));
        using var scope = torch.NewDisposeScope();
        // Levels straight from x·255/peak: going through QuantizeToUint8Levels and back would give k − ε, truncated to k − 1.
        var t = nchw.select(0, index).to(ScalarType.Float64).mul(255.0 / peak).add(0.5).floor().clamp(0, 255);
        return t.permute(1, 2, 0).to(ScalarType.Byte).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rounds to the nearest of the 256 uint8 levels (half away from zero, as MATLAB's uint8()) and saturates, keeping the
    /// dtype and scale: the value is floor(x·255/peak + 0.5) clamped to 0..255, times peak/255.
    /// </summary>
    public static Tensor QuantizeToUint8Levels(Tensor x, double peak = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = torch.NewDisposeScope();
        var levels = (peak == 255 ? x : x.mul(255.0 / peak)).add(0.5).floor().clamp(0, 255);
        return (peak == 255 ? levels : levels.mul(peak / 255.0)).MoveToOuterDisposeScope();
    }

    /// <summary>Crops the bottom and right so that height and width are multiples of <paramref name="scale"/> (MATLAB's modcrop: top-left kept).</summary>
    public static Tensor ModCrop(Tensor x, int scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var s = x.shape;
        long h = s[^2] - s[^2] % scale, w = s[^1] - s[^1] % scale;
        if (h == 0 || w == 0) throw new ArgumentException($"A {s[^1]}×{s[^2]} image is smaller than the scale {scale}.", nameof(x));
        using var scope = torch.NewDisposeScope();
        return x.narrow(-2, 0, h).narrow(-1, 0, w).contiguous().MoveToOuterDisposeScope();
    }
}
