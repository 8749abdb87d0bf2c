using System.Buffers.Binary;
using Sr.Torch.io;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

/// <summary>Decompression bombs. In the non-parallel collection: the check that no tensor was allocated reads the process-wide count.</summary>
[Collection("native-count")]
public class ImageBombTests
{
    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(c, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(c, 4);
        data.CopyTo(c, 8);
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), Crc32(c.AsSpan(4, 4 + data.Length)));
        return c;
    }

    [Fact]
    public void A_png_declaring_100000_by_100000_pixels_is_refused_before_decoding()
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 100_000);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        byte[] bomb = [0x89, .."PNG\r\n\x1a\n"u8, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), .. Chunk("IEND", [])];
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("bomb.png");
        File.WriteAllBytes(path, bomb);
        long before = LiveTensorCount;
        var e = ImageFileTests.Refused(path, "is 100000×100000 = 10,000,000,000 pixels, over the limit of 67,108,864 (refused before decoding)");
        Assert.Equal(before, LiveTensorCount);
        Assert.Equal((100_000, 100_000), ImageFile.PeekSize(bomb));

        // The limit is the caller's: a real 3×4 picture is refused under a 10-pixel limit.
        ImageFileTests.Refused(Fixtures.Path("known.bmp"), "is 4×3 = 12 pixels, over the limit of 10", maxPixels: 10);
        Assert.Equal("is 100000×100000 = 10,000,000,000 pixels, over the limit of 67,108,864 (refused before decoding)", e.Problem);
    }
}
