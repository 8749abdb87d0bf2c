using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// The value of an image column: a 1×C×H×W float32 tensor in [0,1] (C = 1 for <see cref="ColorSpace.Y"/>, 3 for RGB)
/// that this object owns, plus its colour space and where it came from. Getters reuse the tensor of the image they
/// are handed (<see cref="Assign"/>), so a cursor loop allocates no native memory once sizes repeat.
/// </summary>
public sealed class SrImage : IDisposable
{
    private Tensor _pixels;

    /// <summary>Takes ownership of <paramref name="pixels"/> (removed from any dispose scope).</summary>
    public SrImage(Tensor pixels, ColorSpace colorSpace, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        Check(pixels, colorSpace);
        _pixels = pixels.DetachFromDisposeScope();
        ColorSpace = colorSpace;
        Source = source;
    }

    /// <summary>The 1×C×H×W pixels, owned by this image: do not dispose them; clone to keep them beyond the next getter call.</summary>
    public Tensor Pixels => _pixels;

    public ColorSpace ColorSpace { get; private set; }

    /// <summary>The file (or other origin) the pixels came from, for reports and error messages.</summary>
    public string? Source { get; private set; }

    public int Channels => (int)_pixels.size(1);
    public int Height => (int)_pixels.size(2);
    public int Width => (int)_pixels.size(3);

    /// <summary>A deep copy (new tensor) owned by the caller.</summary>
    public SrImage Clone() => new(_pixels.clone(), ColorSpace, Source);

    /// <summary>
    /// Stores a copy of <paramref name="pixels"/> in <paramref name="destination"/>: into its existing tensor when the
    /// shape matches (no allocation), else into a new one; creates the image when <paramref name="destination"/> is null.
    /// The caller keeps ownership of <paramref name="pixels"/>. This is the buffer-reuse rule of every image getter.
    /// </summary>
    public static void Assign(ref SrImage? destination, Tensor pixels, ColorSpace colorSpace, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        Check(pixels, colorSpace);
        if (destination is null || destination._pixels.IsInvalid)
        {
            destination = new SrImage(pixels.detach().clone(), colorSpace, source);
            return;
        }
        if (destination._pixels.shape.AsSpan().SequenceEqual(pixels.shape))
        {
            using (torch.no_grad()) destination._pixels.copy_(pixels);
        }
        else
        {
            var fresh = pixels.detach().clone().DetachFromDisposeScope();
            destination._pixels.Dispose();
            destination._pixels = fresh;
        }
        destination.ColorSpace = colorSpace;
        destination.Source = source;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> with the <see cref="Assign"/> rule.</summary>
    public static void Assign(ref SrImage? destination, SrImage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Assign(ref destination, source.Pixels, source.ColorSpace, source.Source);
    }

    private static void Check(Tensor pixels, ColorSpace colorSpace)
    {
        var s = pixels.shape;
        int c = colorSpace == ColorSpace.Y ? 1 : 3;
        if (s.Length != 4 || s[0] != 1 || s[1] != c)
            throw new ArgumentException($"An {colorSpace} image must be a 1×{c}×H×W tensor, got [{string.Join("×", s)}].", nameof(pixels));
        if (pixels.dtype != ScalarType.Float32)
            throw new ArgumentException($"Image pixels must be float32, got {pixels.dtype}.", nameof(pixels));
    }

    public void Dispose() => _pixels.Dispose();

    public override string ToString() => $"{ColorSpace} {Width}×{Height}{(Source is null ? "" : " from " + Source)}";
}
