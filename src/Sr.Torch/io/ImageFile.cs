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

    /// <summary>The default ceiling on an image file's size in bytes (512 MiB: a 64-megapixel RGBA image at 16 bits, uncompressed).</summary>
    public const long DefaultMaxFileBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Reads and decodes an image file. Only a regular, non-empty file of at most <paramref name="maxFileBytes"/> bytes is
    /// opened: a directory, FIFO, device or socket (or a link to one: <c>/dev/zero</c> would otherwise be read until memory
    /// runs out, a FIFO would block forever) is refused without opening it, with an <see cref="ImageFormatException"/>.
    /// </summary>
    public static DecodedImage Read(string path, long maxPixels = DefaultMaxPixels, long maxFileBytes = DefaultMaxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        return Decode(ReadBounded(path, maxFileBytes), path, maxPixels);
    }

    /// <summary>
    /// The bytes of a regular file of at most <paramref name="maxBytes"/> bytes; anything else throws
    /// <see cref="ImageFormatException"/> naming the file, before the file is opened.
    /// </summary>
    public static byte[] ReadBounded(string path, long maxBytes = DefaultMaxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        try
        {
            if (Directory.Exists(path)) throw new ImageFormatException(path, "is a directory, not an image file");
            var info = new FileInfo(path);
            if (!info.Exists) throw new ImageFormatException(path, "cannot be read (it does not exist)");
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;
            // A link's own FileInfo reports the link's length (lstat); what counts is what it points to.
            if (target is not null) info = new FileInfo(target);
            // Special files (FIFOs, character and block devices, sockets, most of /proc) report a length of 0: refusing
            // every 0-byte file before opening it keeps a FIFO from blocking and /dev/zero from filling memory.
            if (info.Length == 0)
                throw new ImageFormatException(path, target is null
                    ? "is empty (0 bytes) or not a regular file (a FIFO, device or socket)"
                    : $"is a link to {target}, which is empty or not a regular file (a FIFO, device or socket)");
            if (info.Length > maxBytes)
                throw new ImageFormatException(path, $"is {info.Length:N0} bytes, over the limit of {maxBytes:N0} for an image file");
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            // The length is re-checked on the open handle (the path may have been swapped since), and never more than it is read.
            long length = fs.Length;
            if (length == 0 || length > maxBytes)
                throw new ImageFormatException(path, length == 0 ? "is empty (0 bytes) or not a regular file" : $"is {length:N0} bytes, over the limit of {maxBytes:N0} for an image file");
            var bytes = new byte[length];
            int got = fs.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return got == bytes.Length ? bytes : bytes[..got];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot be read ({e.Message})", e);
        }
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
        IntPtr handle, diagnostics;
        int depth;
        fixed (byte* p = bytes) handle = sr_image_decode2(p, bytes.Length, out depth, out diagnostics);
        string? printed = null;
        if (diagnostics != IntPtr.Zero)
        {
            printed = Marshal.PtrToStringUTF8(diagnostics);
            sr_buffer_free(diagnostics);
        }
        var codec = CodecMessages(printed, out var other);
        // Lines that are not the codecs' (another thread's stderr written while fd 2 was captured) go back where they were headed.
        if (other.Length > 0) Console.Error.Write(other);
        if (handle == IntPtr.Zero)
        {
            var error = (Check.TakeError() ?? "unknown error").Split('\n')[0];
            throw new ImageFormatException(source, $"cannot be decoded as {info.Format} ({(codec.Count > 0 ? string.Join("; ", codec) : error)})");
        }
        var t = Tensor.From(handle);
        // libjpeg reports damaged entropy-coded data only as a warning and fills the rest with gray: an error here.
        if (info.Format == ImageHeader.Format.Jpeg && codec.Count > 0)
        {
            t.Dispose();
            throw new ImageFormatException(source, $"has corrupt JPEG data (libjpeg: {string.Join("; ", codec)})");
        }
        foreach (var m in codec) Warning?.Invoke(source, m);
        if (t.shape[0] != info.Height || t.shape[1] != info.Width)
        {
            var (hh, ww) = (t.shape[0], t.shape[1]);
            t.Dispose();
            throw new ImageFormatException(source, $"decodes to {ww}×{hh} pixels although its header declares {info.Width}×{info.Height}");
        }
        return new DecodedImage(t, depth, source);
    }

    /// <summary>
    /// Receives the codec libraries' non-fatal messages (libpng warnings such as an incorrect sRGB profile) with the file
    /// they concern, instead of their being printed to stderr by the library. Null: dropped.
    /// </summary>
    public static Action<string, string>? Warning { get; set; }

    /// <summary>The distinct codec lines (libjpeg, libpng, OpenCV) of what was printed during a decode, and the rest.</summary>
    private static List<string> CodecMessages(string? printed, out string other)
    {
        var codec = new List<string>();
        var rest = new System.Text.StringBuilder();
        foreach (var line in (printed ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var l = line.TrimEnd('\r');
            bool ours = l.StartsWith("libpng ", StringComparison.Ordinal) || l.StartsWith("Corrupt JPEG", StringComparison.Ordinal)
                || l.StartsWith("Premature end of JPEG", StringComparison.Ordinal) || l.StartsWith("Invalid SOS", StringComparison.Ordinal)
                || l.StartsWith("Warning:", StringComparison.Ordinal) || l.StartsWith("imdecode", StringComparison.Ordinal)
                || l.StartsWith("OpenCV", StringComparison.Ordinal) || l.StartsWith("[ WARN", StringComparison.Ordinal)
                || l.StartsWith("[ERROR", StringComparison.Ordinal) || l.Contains("JPEG", StringComparison.Ordinal)
                || l.StartsWith("TIFF", StringComparison.Ordinal) || l.Contains("Huffman", StringComparison.Ordinal);
            if (!ours) { rest.Append(l).Append('\n'); continue; }
            if (!codec.Contains(l) && codec.Count < 5) codec.Add(l);
        }
        other = rest.ToString();
        return codec;
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
