using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// The value of an SrMlNet image column: C×H×W float planes in [0,1] (C = 1 for <see cref="ColorSpace.Y"/>, 3 for RGB),
/// row-major, with the colour space and the file the image came from. ML.NET's own image type (<c>MLImage</c>) holds 8-bit
/// BGRA pixels; SR works on float Y planes (the evaluation protocol's Y is not an 8-bit image), so the steps between
/// <c>ConvertToYCbCr</c> and <c>ConvertToRgb</c> carry this type. The column type is <see cref="SrImageDataViewType"/>.
/// </summary>
public sealed class SrImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied): <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> values.</summary>
    public SrImage(float[] pixels, int channels, int height, int width, ColorSpace colorSpace, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int expected = colorSpace == ColorSpace.Y ? 1 : 3;
        if (channels != expected)
            throw new ArgumentException($"An {colorSpace} image has {expected} channel(s), not {channels}.", nameof(channels));
        if (pixels.LongLength != (long)channels * height * width)
            throw new ArgumentException($"{pixels.LongLength} values do not make a {channels}×{height}×{width} image.", nameof(pixels));
        Pixels = pixels;
        Channels = channels;
        Height = height;
        Width = width;
        ColorSpace = colorSpace;
        Source = source;
    }

    /// <summary>The C×H×W planes, row-major. Shared, not copied: treat as read-only.</summary>
    public float[] Pixels { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public ColorSpace ColorSpace { get; }

    /// <summary>The file (or other origin) the pixels came from, for reports and error messages.</summary>
    public string? Source { get; }

    /// <summary>A new 1×C×H×W float32 tensor of the pixels, owned by the caller.</summary>
    public Tensor ToTensor() => torch.tensor(Pixels, [1, Channels, Height, Width]);

    /// <summary>The image of a 1×C×H×W (or C×H×W) tensor, copied out.</summary>
    public static SrImage FromTensor(Tensor pixels, ColorSpace colorSpace, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var s = pixels.shape;
        if (!(s.Length == 4 && s[0] == 1 || s.Length == 3))
            throw new ArgumentException($"Expected a 1×C×H×W tensor, got [{string.Join("×", s)}].", nameof(pixels));
        using var flat = pixels.detach().to(ScalarType.Float32).contiguous();
        int c = (int)s[^3], h = (int)s[^2], w = (int)s[^1];
        return new SrImage(flat.data<float>(), c, h, w, colorSpace, source);
    }

    public override string ToString() => $"{ColorSpace} {Width}×{Height}{(Source is null ? "" : " from " + Source)}";
}
