using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Sr.Torch.Native;
using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch.io;

/// <summary>A decoded image: an H×W×C tensor (uint8 for 8-bit files, int32 0..65535 for 16-bit), channels RGB(A) or gray.</summary>
public sealed class DecodedImage(Tensor pixels, int bitDepth, string source) : IDisposable
{
    public Tensor Pixels { get; } = pixels;
    public int BitDepth { get; } = bitDepth;
    public string Source { get; } = source;
    public int Height => (int)Pixels.shape[0];
    public int Width => (int)Pixels.shape[1];
    public int Channels => (int)Pixels.shape[2];
    public void Dispose() => Pixels.Dispose();
}

/// <summary>An image file that cannot be used; the message names the file and the problem.</summary>
public sealed class ImageFormatException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;
}

/// <summary>Reads PNG/JPEG/BMP/TIFF/PPM/PGM/WebP files (OpenCV imgcodecs) and writes PNG/JPEG atomically.</summary>
public static unsafe class ImageFile
{
    /// <summary>The default ceiling on width×height (64 megapixels); larger files are refused before decoding.</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    public static DecodedImage Read(string path, long maxPixels = DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(path);
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

    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, string source, long maxPixels = DefaultMaxPixels)
    {
        if (bytes.Length == 0) throw new ImageFormatException(source, "is empty (0 bytes)");
        var dims = PeekSize(bytes);
        if (dims is var (w, h) && (long)w * h > maxPixels)
            throw new ImageFormatException(source, $"is {w}×{h} = {(long)w * h:N0} pixels, over the limit of {maxPixels:N0} (refused before decoding)");
        torch.zeros(0).Dispose(); // loads the native runtime
        IntPtr handle;
        int depth;
        fixed (byte* p = bytes) handle = sr_image_decode(p, bytes.Length, out depth);
        if (handle == IntPtr.Zero)
        {
            var err = Check.TakeError() ?? "cannot be decoded";
            throw new ImageFormatException(source, err.Contains("imdecode", StringComparison.Ordinal) || err.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? $"exceeds the decoder's size limit or is corrupt ({err.Split('\n')[0]})" : err);
        }
        var t = Tensor.From(handle);
        if (t.shape[0] * t.shape[1] > maxPixels)
        {
            var (hh, ww) = (t.shape[0], t.shape[1]);
            t.Dispose();
            throw new ImageFormatException(source, $"is {ww}×{hh} pixels, over the limit of {maxPixels:N0}");
        }
        return new DecodedImage(t, depth, source);
    }

    /// <summary>Width and height from the header of PNG, JPEG, BMP, GIF and PNM files (null when unknown or unparseable).</summary>
    public static (int width, int height)? PeekSize(ReadOnlySpan<byte> b)
    {
        try
        {
            if (b.Length >= 24 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G')
                return (BinaryPrimitives.ReadInt32BigEndian(b[16..]), BinaryPrimitives.ReadInt32BigEndian(b[20..]));
            if (b.Length >= 26 && b[0] == (byte)'B' && b[1] == (byte)'M')
                return (Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(b[18..])), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(b[22..])));
            if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0xD8)
            {
                int i = 2;
                while (i + 9 < b.Length)
                {
                    if (b[i] != 0xFF) { i++; continue; }
                    byte marker = b[i + 1];
                    if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                        return (BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]));
                    if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
                    i += 2 + BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
                }
                return null;
            }
            if (b.Length >= 3 && b[0] == (byte)'P' && b[1] is >= (byte)'1' and <= (byte)'6')
            {
                var text = System.Text.Encoding.ASCII.GetString(b[..Math.Min(b.Length, 256)]);
                var tokens = new List<string>();
                foreach (var line in text.Split('\n'))
                {
                    var l = line.Split('#')[0];
                    tokens.AddRange(l.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries));
                    if (tokens.Count >= 3) break;
                }
                return tokens.Count >= 3 ? (int.Parse(tokens[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(tokens[2], System.Globalization.CultureInfo.InvariantCulture)) : null;
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or FormatException or OverflowException)
        {
            return null;
        }
        return null;
    }

    /// <summary>Encodes an H×W×C (or H×W) uint8 tensor; <paramref name="jpegQuality"/> null means PNG.</summary>
    public static byte[] Encode(Tensor hwc, int? jpegQuality = null, int pngCompression = 3)
    {
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

    /// <summary>Writes a PNG (or JPEG for .jpg/.jpeg) through a temporary file and a rename: an existing file is never left half-written.</summary>
    public static void Write(string path, Tensor hwc, int jpegQuality = 95)
    {
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var bytes = Encode(hwc, ext is ".jpg" or ".jpeg" ? jpegQuality : null);
        AtomicFile.WriteAllBytes(path, bytes);
    }
}

/// <summary>Writes files through a temporary sibling and a rename, so readers never see a partial file.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var tmp = TempName(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> on a temporary file's stream, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var tmp = TempName(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    private static string TempName(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        return System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    private static void TryDelete(string tmp)
    {
        try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
