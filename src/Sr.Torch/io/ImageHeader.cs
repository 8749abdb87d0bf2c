using System.Buffers.Binary;
using System.Text;

namespace Sr.Torch.io;

/// <summary>
/// Reads what an image file declares before any pixel is decoded: its format, width and height, and whether its
/// data reaches the format's end marker. This is what refuses a decompression bomb (a small file declaring a huge
/// image) and a truncated file (which libjpeg would otherwise "decode" into gray padding without an error).
/// Only formats whose header is read here are handed to the decoder.
/// </summary>
internal static class ImageHeader
{
    internal enum Format { Png, Jpeg, Bmp, Tiff, Pnm, WebP }

    /// <summary>The declared format and size; <paramref name="Incomplete"/> says why the data does not reach the format's end (null when it does).</summary>
    internal readonly record struct Info(Format Format, long Width, long Height, string? Incomplete = null);

    /// <summary>Thrown for a file this reader refuses; the message is the problem, without the file name.</summary>
    internal sealed class Problem(string message) : Exception(message);

    internal const string Supported = "PNG, JPEG, BMP, TIFF, PBM/PGM/PPM/PAM, WebP";

    internal static Info Read(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png(b);
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Jpeg(b);
        if (b.StartsWith("BM"u8)) return Bmp(b);
        if (b.StartsWith("II*\0"u8) || b.StartsWith("MM\0*"u8) || b.StartsWith("II+\0"u8) || b.StartsWith("MM\0+"u8)) return Tiff(b);
        if (b.Length >= 2 && b[0] == (byte)'P' && b[1] is >= (byte)'1' and <= (byte)'7') return Pnm(b);
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return WebP(b);
        var head = Convert.ToHexString(b[..Math.Min(8, b.Length)]);
        throw new Problem($"is not a supported image file ({Supported}); it starts with bytes {head}");
    }

    private static Problem Truncated(string format, string where) => new(TruncatedText(format, where));

    private static string TruncatedText(string format, string where) => $"is truncated: the file ends {where} ({format})";

    // ---- PNG: signature, IHDR first, chunks up to IEND --------------------------------------------------------
    private static Info Png(ReadOnlySpan<byte> b)
    {
        if (b.Length < 33) throw Truncated("PNG", "inside its IHDR header");
        if (!b[12..16].SequenceEqual("IHDR"u8)) throw new Problem("is a corrupt PNG: its first chunk is not IHDR");
        var info = new Info(Format.Png, BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
        long pos = 8;
        while (true)
        {
            if (pos + 8 > b.Length) return info with { Incomplete = TruncatedText("PNG", "before its IEND chunk") };
            long length = BinaryPrimitives.ReadUInt32BigEndian(b[(int)pos..]);
            if (length > int.MaxValue) throw new Problem("is a corrupt PNG: a chunk length is over 2^31");
            bool end = b[(int)(pos + 4)..(int)(pos + 8)].SequenceEqual("IEND"u8);
            if (pos + 12 + length > b.Length) return info with { Incomplete = TruncatedText("PNG", end ? "inside its IEND chunk" : "inside a chunk") };
            if (end) return info;
            pos += 12 + length;
        }
    }

    // ---- JPEG: marker segments; entropy-coded data after each SOS; must reach EOI ------------------------------
    private static Info Jpeg(ReadOnlySpan<byte> b)
    {
        long w = -1, h = -1;
        Info Done(string? incomplete) => w >= 0
            ? new Info(Format.Jpeg, w, h, incomplete)
            : throw (incomplete != null ? new Problem(incomplete) : new Problem("is a corrupt JPEG: it has no frame header (SOF)"));
        string Cut(string where) => TruncatedText("JPEG", where);
        int i = 2;
        while (true)
        {
            if (i >= b.Length) return Done(Cut("before its end-of-image marker"));
            if (b[i] != 0xFF) throw new Problem($"is a corrupt JPEG: no marker at byte {i}");
            while (i < b.Length && b[i] == 0xFF) i++; // fill bytes
            if (i >= b.Length) return Done(Cut("before its end-of-image marker"));
            byte m = b[i++];
            if (m == 0xD9) return Done(null);
            if (m is 0x01 or (>= 0xD0 and <= 0xD7)) continue; // markers without a length
            if (i + 2 > b.Length) return Done(Cut("inside a marker segment"));
            int len = BinaryPrimitives.ReadUInt16BigEndian(b[i..]);
            if (len < 2) throw new Problem("is a corrupt JPEG: a segment length is below 2");
            if (i + len > b.Length) return Done(Cut("inside a marker segment"));
            if (m is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (len < 7) throw new Problem("is a corrupt JPEG: its frame header is too short");
                h = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 3)..]);
                w = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]);
            }
            i += len;
            if (m != 0xDA) continue;
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
            while (true)
            {
                int next = b[i..].IndexOf((byte)0xFF);
                if (next < 0 || i + next + 1 >= b.Length) return Done(Cut("inside its compressed data, before the end-of-image marker"));
                i += next;
                byte n = b[i + 1];
                if (n == 0x00 || n is >= 0xD0 and <= 0xD7) { i += 2; continue; }
                if (n == 0xFF) { i += 1; continue; }
                break;
            }
        }
    }

    // ---- BMP: BITMAPINFOHEADER (or the OS/2 12-byte core header) ---------------------------------------------------
    private static Info Bmp(ReadOnlySpan<byte> b)
    {
        if (b.Length < 26) throw Truncated("BMP", "inside its header");
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(b[14..]);
        if (headerSize == 12) return new Info(Format.Bmp, BinaryPrimitives.ReadUInt16LittleEndian(b[18..]), BinaryPrimitives.ReadUInt16LittleEndian(b[20..]));
        long w = BinaryPrimitives.ReadInt32LittleEndian(b[18..]);
        long h = BinaryPrimitives.ReadInt32LittleEndian(b[22..]);
        return new Info(Format.Bmp, w, Math.Abs(h)); // negative height = rows stored top-down
    }

    // ---- TIFF (classic and BigTIFF): ImageWidth (256) and ImageLength (257) of the first IFD ------------------------
    private static Info Tiff(ReadOnlySpan<byte> b)
    {
        bool le = b[0] == (byte)'I';
        bool big = b[2] == 0x2B || b[3] == 0x2B;
        ulong ifd = big ? Tu(b, le, 8, 8) : Tu(b, le, 4, 4);
        if (ifd >= (ulong)b.Length) throw Truncated("TIFF", "before its first directory");
        long at = (long)ifd;
        ulong count = big ? Tu(b, le, at, 8) : Tu(b, le, at, 2);
        int entrySize = big ? 20 : 12;
        at += big ? 8 : 2;
        long w = -1, h = -1;
        for (ulong e = 0; e < count && (w < 0 || h < 0); e++, at += entrySize)
        {
            ulong tag = Tu(b, le, at, 2), type = Tu(b, le, at + 2, 2);
            if (tag is not (256 or 257)) continue;
            long valueAt = at + (big ? 12 : 8);
            long v = type switch
            {
                3 => (long)Tu(b, le, valueAt, 2),   // SHORT
                4 => (long)Tu(b, le, valueAt, 4),   // LONG
                16 => (long)Math.Min(Tu(b, le, valueAt, 8), (ulong)long.MaxValue), // LONG8 (BigTIFF)
                _ => throw new Problem($"is a corrupt TIFF: its image size tag has type {type}"),
            };
            if (tag == 256) w = v; else h = v;
        }
        if (w < 0 || h < 0) throw new Problem("is a corrupt TIFF: its first directory has no image width or length");
        return new Info(Format.Tiff, w, h);
    }

    /// <summary>An unsigned TIFF field of <paramref name="size"/> bytes at <paramref name="at"/>, in the file's byte order.</summary>
    private static ulong Tu(ReadOnlySpan<byte> b, bool le, long at, int size)
    {
        if (at < 0 || at + size > b.Length) throw Truncated("TIFF", "inside its first directory");
        var f = b.Slice((int)at, size);
        return size switch
        {
            2 => le ? BinaryPrimitives.ReadUInt16LittleEndian(f) : BinaryPrimitives.ReadUInt16BigEndian(f),
            4 => le ? BinaryPrimitives.ReadUInt32LittleEndian(f) : BinaryPrimitives.ReadUInt32BigEndian(f),
            _ => le ? BinaryPrimitives.ReadUInt64LittleEndian(f) : BinaryPrimitives.ReadUInt64BigEndian(f),
        };
    }

    // ---- PBM/PGM/PPM (P1..P6: magic, width, height as text; # comments) and PAM (P7: WIDTH/HEIGHT lines) -----------
    private static Info Pnm(ReadOnlySpan<byte> b)
    {
        var text = Encoding.ASCII.GetString(b[..Math.Min(b.Length, 4096)]);
        if (b[1] == (byte)'7')
        {
            long w = -1, h = -1;
            foreach (var raw in text.Split('\n').Skip(1))
            {
                var parts = raw.Split('#')[0].Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0) continue;
                if (parts[0] == "ENDHDR") break;
                if (parts.Length >= 2 && parts[0] is "WIDTH" or "HEIGHT" && long.TryParse(parts[1], out var v))
                    if (parts[0] == "WIDTH") w = v; else h = v;
            }
            if (w < 0 || h < 0) throw new Problem("is a corrupt PAM file: no WIDTH and HEIGHT before ENDHDR");
            return new Info(Format.Pnm, w, h);
        }
        var numbers = new List<long>();
        int i = 2;
        while (numbers.Count < 2 && i < text.Length)
        {
            char c = text[i];
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (!char.IsAsciiDigit(c)) throw new Problem($"is a corrupt P{(char)b[1]} file: unexpected '{c}' in its header");
            long v = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                v = v * 10 + (text[i++] - '0');
                if (v > int.MaxValue) throw new Problem($"is a corrupt P{(char)b[1]} file: a size in its header is over 2^31");
            }
            numbers.Add(v);
        }
        if (numbers.Count < 2) throw Truncated($"P{(char)b[1]}", "inside its header");
        return new Info(Format.Pnm, numbers[0], numbers[1]);
    }

    // ---- WebP: the VP8 (lossy), VP8L (lossless) or VP8X (extended) first chunk ------------------------------------
    private static Info WebP(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30) throw Truncated("WebP", "inside its header");
        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
            return new Info(Format.WebP, BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        if (chunk.SequenceEqual("VP8L"u8))
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return new Info(Format.WebP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
            return new Info(Format.WebP, (b[24] | b[25] << 8 | b[26] << 16) + 1L, (b[27] | b[28] << 8 | b[29] << 16) + 1L);
        throw new Problem("is a corrupt WebP file: unknown first chunk");
    }
}
