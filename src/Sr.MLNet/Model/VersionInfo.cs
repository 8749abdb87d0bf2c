using System.Text;

namespace Sr.MLNet;

/// <summary>
/// A saved transformer's identity and version triple (ML.NET's <c>VersionInfo</c>): an 8-character model signature,
/// the version written now, the oldest reader version able to read what is written, the oldest written version this
/// code can read back, and the ≤24-character loader signature the <see cref="ComponentCatalog"/> maps to a factory.
/// Bump <see cref="VerWrittenCur"/> with a comment saying what changed.
/// </summary>
public sealed record VersionInfo
{
    public VersionInfo(string modelSignature, uint verWrittenCur, uint verReadableCur, uint verWeCanReadBack, string loaderSignature)
    {
        CheckAscii(modelSignature, 8, nameof(modelSignature));
        CheckAscii(loaderSignature, 24, nameof(loaderSignature));
        if (verReadableCur > verWrittenCur) throw new ArgumentException("verReadableCur cannot exceed verWrittenCur.", nameof(verReadableCur));
        if (verWeCanReadBack > verWrittenCur) throw new ArgumentException("verWeCanReadBack cannot exceed verWrittenCur.", nameof(verWeCanReadBack));
        ModelSignature = modelSignature;
        VerWrittenCur = verWrittenCur;
        VerReadableCur = verReadableCur;
        VerWeCanReadBack = verWeCanReadBack;
        LoaderSignature = loaderSignature;
    }

    public string ModelSignature { get; }
    public uint VerWrittenCur { get; }
    public uint VerReadableCur { get; }
    public uint VerWeCanReadBack { get; }
    public string LoaderSignature { get; }

    internal static void CheckAscii(string value, int max, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.Length > max || value.Any(c => c < 0x20 || c > 0x7E))
            throw new ArgumentException($"'{value}' must be 1 to {max} printable ASCII characters.", name);
    }

    internal static byte[] Pad(string value, int length)
    {
        var bytes = new byte[length];
        Encoding.ASCII.GetBytes(value, bytes);
        return bytes;
    }
}
