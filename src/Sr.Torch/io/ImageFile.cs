using System.Runtime.InteropServices;
using Sr.Torch.Native;
using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch.io;

/// <summary>
/// Reads PNG, JPEG, BMP, TIFF, PBM/PGM/PPM/PAM and WebP files (decoded by OpenCV imgcodecs) into H×W×C tensors and
/// writes PNG/JPEG atomically. Before decoding, the file's header is read here: unknown formats, truncated files and
/// images over the pixel limit are refused with an <see cref="ImageFormatException"/> naming the file, and no
/// pixel memory is allocated for them. EXIF orientation is not applied (pixels are returned as stored).
/// </summary>
public static unsafe class ImageFile
{
    /// <summary>The default ceiling on width×height (64 megapixels); larger files are refused before decoding.</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    public static DecodedImage Read(string path, long maxPixels = DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot be read ({e.Message})", e);
        }
        return Decode(bytes, path, maxPixels);
    }

    /// <summary>Decodes an image file held in memory; <paramref name="source"/> names it in errors.</summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, string source, long maxPixels = DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        if (bytes.Length == 0) throw new ImageFormatException(source, "is empty (0 bytes)");
        ImageHeader.Info info;
        try
        {
            info = ImageHeader.Read(bytes);
        }
        catch (ImageHeader.Problem p)
        {
            throw new ImageFormatException(source, p.Message);
        }
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageFormatException(source, $"declares an empty or invalid size {info.Width}×{info.Height}");
        if (info.Width > maxPixels / info.Height)
            throw new ImageFormatException(source, $"is {info.Width}×{info.Height} = {info.Width * info.Height:N0} pixels, over the limit of {maxPixels:N0} (refused before decoding)");
        if (info.Incomplete != null) throw new ImageFormatException(source, info.Incomplete);

        NativeRuntime.EnsureLoaded();
        IntPtr handle;
        int depth;
        fixed (byte* p = bytes) handle = sr_image_decode(p, bytes.Length, out depth);
        if (handle == IntPtr.Zero)
            throw new ImageFormatException(source, $"cannot be decoded as {info.Format} ({(Check.TakeError() ?? "unknown error").Split('\n')[0]})");
        var t = Tensor.From(handle);
        if (t.shape[0] != info.Height || t.shape[1] != info.Width)
        {
            var (hh, ww) = (t.shape[0], t.shape[1]);
            t.Dispose();
            throw new ImageFormatException(source, $"decodes to {ww}×{hh} pixels although its header declares {info.Width}×{info.Height}");
        }
        return new DecodedImage(t, depth, source);
    }

    /// <summary>Width and height declared by the header of a supported file (null when unknown, truncated or unparseable).</summary>
    public static (int width, int height)? PeekSize(ReadOnlySpan<byte> b)
    {
        try
        {
            var info = ImageHeader.Read(b);
            return info.Width is > 0 and <= int.MaxValue && info.Height is > 0 and <= int.MaxValue ? ((int)info.Width, (int)info.Height) : null;
        }
        catch (ImageHeader.Problem)
        {
            return null;
        }
    }

    /// <summary>
    /// Encodes an H×W×C (or H×W) tensor with C ∈ {1, 3, 4} (gray, RGB, RGBA): uint8 as an 8-bit PNG or JPEG; int32
    /// holding 0..65535 (what <see cref="Read"/> returns for 16-bit files) as a 16-bit PNG. <paramref name="jpegQuality"/>
    /// null means PNG.
    /// </summary>
    public static byte[] Encode(Tensor hwc, int? jpegQuality = null, int pngCompression = 3)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        if (jpegQuality is { } q) ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)q, 100u, nameof(jpegQuality));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)pngCompression, 9u, nameof(pngCompression));
        Check.Status(sr_image_encode(hwc.Handle, jpegQuality is null ? 0 : 1, jpegQuality ?? pngCompression, out var buf, out var len));
        try
        {
            var result = new byte[len];
            Marshal.Copy(buf, result, 0, (int)len);
            return result;
        }
        finally
        {
            sr_buffer_free(buf);
        }
    }

    /// <summary>
    /// Writes a PNG (<c>.png</c>) or JPEG (<c>.jpg</c>/<c>.jpeg</c>) through a temporary file and a rename: an existing
    /// file is never left half-written, and a failed encoding leaves it untouched.
    /// </summary>
    public static void Write(string path, Tensor hwc, int jpegQuality = 95)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(hwc);
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".jpg" or ".jpeg"))
            throw new ArgumentException($"{path}: images are written as .png, .jpg or .jpeg, not '{ext}'", nameof(path));
        var bytes = Encode(hwc, ext is ".jpg" or ".jpeg" ? jpegQuality : null);
        AtomicFile.WriteAllBytes(path, bytes);
    }
}
