using System.Buffers.Binary;
using System.Text;

namespace Sr.MLNet;

/// <summary>
/// The <c>Model.key</c> entry of each saved transformer: ML.NET's header concept with a simpler body.
/// *** Binary format ***
///   0   8  "SR\0MODEL" (ASCII)
///   8   4  uint32 header format (1)
///  12   8  model signature, ASCII, zero-padded
///  20   4  uint32 version written
///  24   4  uint32 oldest reader version able to read it
///  28   4  uint32 (reserved: the writer's own read-back floor)
///  32  24  loader signature, ASCII, zero-padded
///  56   4  int32 N, the body length
///  60   N  UTF-8 JSON: the transformer's options
/// </summary>
internal sealed record ModelKey(string ModelSignature, uint VerWritten, uint VerReadable, uint VerWeCanReadBack, string LoaderSignature, string OptionsJson)
{
    private static readonly byte[] Magic = "SR\0MODEL"u8.ToArray();
    private const uint HeaderFormat = 1;
    private const int HeaderSize = 60;

    public byte[] ToBytes()
    {
        var body = Encoding.UTF8.GetBytes(OptionsJson);
        var b = new byte[HeaderSize + body.Length];
        Magic.CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), HeaderFormat);
        VersionInfo.Pad(ModelSignature, 8).CopyTo(b, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), VerWritten);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), VerReadable);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), VerWeCanReadBack);
        VersionInfo.Pad(LoaderSignature, 24).CopyTo(b, 32);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(56), body.Length);
        body.CopyTo(b, HeaderSize);
        return b;
    }

    /// <summary>Parses a header; returns the problem (null when fine).</summary>
    public static ModelKey Parse(ReadOnlySpan<byte> b, Func<string, Exception> fail)
    {
        if (b.Length < HeaderSize || !b[..8].SequenceEqual(Magic)) throw fail("is not an SrMlNet Model.key (bad signature)");
        var format = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
        if (format != HeaderFormat) throw fail($"has Model.key header format {format}; this SrMlNet reads format {HeaderFormat}");
        int n = BinaryPrimitives.ReadInt32LittleEndian(b[56..]);
        if (n < 0 || HeaderSize + (long)n != b.Length) throw fail("has a Model.key whose body length does not match its size");
        string Ascii(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s).TrimEnd('\0');
        return new ModelKey(Ascii(b.Slice(12, 8)), BinaryPrimitives.ReadUInt32LittleEndian(b[20..]), BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[28..]), Ascii(b.Slice(32, 24)), Encoding.UTF8.GetString(b[HeaderSize..]));
    }
}
