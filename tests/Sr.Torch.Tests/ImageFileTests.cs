using System.Buffers.Binary;
using System.Text.Json;
using Sr.Torch.io;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

public class ImageFileTests
{
    private static Tensor RandomImage(long h, long w, long c)
    {
        using var f = randint(0, 256, c == 0 ? [h, w] : [h, w, c]);
        return f.to(ScalarType.Byte);
    }

    private static T[] Flat<T>(JsonElement e) where T : unmanaged =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flat<T>).ToArray()
        : [(T)Convert.ChangeType(e.GetInt64(), typeof(T))];

    internal static ImageFormatException Refused(string path, string problem, long maxPixels = ImageFile.DefaultMaxPixels)
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path, maxPixels));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Equal(path, e.Path);
        return e;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(0)] // an H×W tensor is written as gray
    public void Png_round_trip_is_exact_for_rgb_gray_rgba(int channels)
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("x.png");
        using var img = RandomImage(17, 23, channels);
        ImageFile.Write(path, img);
        using var back = ImageFile.Read(path);
        Assert.Equal(8, back.BitDepth);
        Assert.Equal(Math.Max(channels, 1), back.Channels);
        Assert.Equal((17, 23), (back.Height, back.Width));
        Assert.Equal(ScalarType.Byte, back.Pixels.dtype);
        Assert.Equal(img.data<byte>(), back.Pixels.data<byte>());
        Assert.Equal(["x.png"], Directory.GetFiles(dir.Dir).Select(Path.GetFileName)); // no temp file left
    }

    [Fact]
    public void Sixteen_bit_pngs_read_as_0_to_65535_in_rgb_order_and_write_back_bit_exactly()
    {
        var json = Fixtures.Json("images.json");
        using var rgb = ImageFile.Read(Fixtures.Path("rgb16.png"));
        Assert.Equal(16, rgb.BitDepth);
        Assert.Equal(ScalarType.Int32, rgb.Pixels.dtype);
        Assert.Equal(new long[] { 3, 5, 3 }, rgb.Pixels.shape);
        Assert.Equal(Flat<int>(json.GetProperty("rgb16")), rgb.Pixels.data<int>());
        Assert.Equal(new[] { 1, 258, 65534 }, rgb.Pixels.data<int>()[..3]);

        using var gray = ImageFile.Read(Fixtures.Path("gray16.png"));
        Assert.Equal((16, 1), (gray.BitDepth, gray.Channels));
        Assert.Equal(Flat<int>(json.GetProperty("gray16")), gray.Pixels.data<int>());
        using (var f = gray.ToTensor())
            Assert.Equal(55007 / 65535f, f.data<float>()[^1], 6);

        using var dir = Fixtures.NewTempDir();
        ImageFile.Write(dir.File("again.png"), rgb.Pixels);
        using var again = ImageFile.Read(dir.File("again.png"));
        Assert.Equal(16, again.BitDepth);
        Assert.Equal(rgb.Pixels.data<int>(), again.Pixels.data<int>());
        using var tooWide = full([2, 2, 3], 70000, ScalarType.Int32);
        Assert.Contains("0..65535", Assert.Throws<TorchException>(() => ImageFile.Write(dir.File("bad.png"), tooWide)).Message);
        Assert.Contains("only be written as PNG", Assert.Throws<TorchException>(() => ImageFile.Write(dir.File("bad.jpg"), rgb.Pixels)).Message);
    }

    [Fact]
    public void A_jpeg_written_by_pil_reads_in_rgb_order()
    {
        var expected = Fixtures.Json("images.json").GetProperty("photo_quadrants").EnumerateArray()
            .Select(q => q.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        using var img = ImageFile.Read(Fixtures.Path("photo.jpg"));
        Assert.Equal((32, 48, 3, 8), (img.Height, img.Width, img.Channels, img.BitDepth));
        var px = img.Pixels.data<byte>();
        (int y, int x)[] centres = [(8, 12), (8, 36), (24, 12), (24, 36)];
        for (int q = 0; q < 4; q++)
            for (int c = 0; c < 3; c++)
                Assert.InRange(px[(centres[q].y * 48 + centres[q].x) * 3 + c], expected[q][c] - 4, expected[q][c] + 4);
    }

    [Fact]
    public void Jpeg_round_trip_stays_close_to_a_smooth_image()
    {
        using var dir = Fixtures.NewTempDir();
        using var ramp = arange(0, 64 * 64 * 3, 1, ScalarType.Float32);
        using var smooth = ramp.reshape(64, 64, 3).div(64 * 64 * 3 / 250.0).to(ScalarType.Byte);
        ImageFile.Write(dir.File("s.jpeg"), smooth, jpegQuality: 95);
        using var back = ImageFile.Read(dir.File("s.jpeg"));
        using var a = smooth.to(ScalarType.Float32);
        using var b = back.Pixels.to(ScalarType.Float32);
        using var err = a.sub(b).abs().mean();
        Assert.True(err.item<float>() < 2f, $"mean abs error {err.item<float>()}");
    }

    [Theory]
    [InlineData("known.bmp")]
    [InlineData("known.tif")]
    [InlineData("known.ppm")]
    [InlineData("known.webp")]
    public void Bmp_tiff_ppm_and_lossless_webp_read_exactly(string name)
    {
        using var img = ImageFile.Read(Fixtures.Path(name));
        Assert.Equal(new long[] { 3, 4, 3 }, img.Pixels.shape);
        Assert.Equal(Flat<byte>(Fixtures.Json("images.json").GetProperty("known")), img.Pixels.data<byte>());
    }

    [Fact]
    public void Pgm_reads_as_one_channel_and_rgba_png_keeps_alpha()
    {
        var known = Flat<byte>(Fixtures.Json("images.json").GetProperty("known"));
        using var gray = ImageFile.Read(Fixtures.Path("known.pgm"));
        Assert.Equal(new long[] { 3, 4, 1 }, gray.Pixels.shape);
        Assert.Equal(known.Where((_, i) => i % 3 == 1), gray.Pixels.data<byte>());
        using var rgba = ImageFile.Read(Fixtures.Path("known_rgba.png"));
        Assert.Equal(Flat<byte>(Fixtures.Json("images.json").GetProperty("known_rgba")), rgba.Pixels.data<byte>());
    }

    // ---- bad files ----------------------------------------------------------------------------------------------------
    [Fact]
    public void Huge_jpeg_tiff_and_webp_headers_are_refused_too()
    {
        using var dir = Fixtures.NewTempDir();
        // JPEG: SOI, SOF0 declaring 60000×60000, EOI.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0xEA, 0x60, 0xEA, 0x60, 1, 1, 0x11, 0, 0xFF, 0xD9];
        File.WriteAllBytes(dir.File("big.jpg"), jpeg);
        Refused(dir.File("big.jpg"), "is 60000×60000");
        // TIFF (little-endian): one IFD with ImageWidth = ImageLength = 70000 (LONG).
        var tiff = new byte[8 + 2 + 2 * 12 + 4];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 2);
        for (int i = 0; i < 2; i++)
        {
            var entry = tiff.AsSpan(10 + 12 * i);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)(256 + i));
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], 70000);
        }
        File.WriteAllBytes(dir.File("big.tif"), tiff);
        Refused(dir.File("big.tif"), "is 70000×70000");
        // WebP VP8X: canvas 16384×16384.
        var webp = new byte[30];
        "RIFF"u8.CopyTo(webp);
        "WEBPVP8X"u8.CopyTo(webp.AsSpan(8));
        webp[24] = webp[27] = 0xFF;
        webp[25] = webp[28] = 0x3F;
        File.WriteAllBytes(dir.File("big.webp"), webp);
        Refused(dir.File("big.webp"), "is 16384×16384");
    }

    [Fact]
    public void Truncated_pngs_and_jpegs_are_refused_naming_the_file()
    {
        using var dir = Fixtures.NewTempDir();
        var png = File.ReadAllBytes(Fixtures.Path("known_rgba.png"));
        File.WriteAllBytes(dir.File("cut.png"), png[..(png.Length - 20)]);
        Refused(dir.File("cut.png"), "is truncated");
        File.WriteAllBytes(dir.File("head.png"), png[..20]);
        Refused(dir.File("head.png"), "is truncated: the file ends inside its IHDR header");
        // libjpeg would "decode" this, padding the missing rows with gray and only printing a warning.
        var jpg = File.ReadAllBytes(Fixtures.Path("photo.jpg"));
        File.WriteAllBytes(dir.File("cut.jpg"), jpg[..^30]); // the last 30 bytes are compressed data and the EOI marker
        Refused(dir.File("cut.jpg"), "is truncated: the file ends inside its compressed data, before the end-of-image marker (JPEG)");
    }

    [Fact]
    public void Corrupt_empty_missing_and_non_image_files_are_refused_naming_the_file()
    {
        using var dir = Fixtures.NewTempDir();
        var png = File.ReadAllBytes(Fixtures.Path("known_rgba.png"));
        int idat = png.AsSpan().IndexOf("IDAT"u8);
        var corrupt = (byte[])png.Clone();
        for (int i = idat + 6; i < idat + 14; i++) corrupt[i] ^= 0x5A; // inside the compressed stream; the CRC no longer matches
        File.WriteAllBytes(dir.File("corrupt.png"), corrupt);
        Refused(dir.File("corrupt.png"), "cannot be decoded as Png");

        File.WriteAllBytes(dir.File("empty.png"), []);
        Refused(dir.File("empty.png"), "is empty (0 bytes)");
        Refused(dir.File("missing.png"), "cannot be read");
        File.WriteAllText(dir.File("notes.png"), "these are not pixels");
        Refused(dir.File("notes.png"), "is not a supported image file (PNG, JPEG, BMP, TIFF, PBM/PGM/PPM/PAM, WebP)");
        Refused(Fixtures.Path("tiny_state_dict.pt"), "is not a supported image file");
    }

    [Fact]
    public void Writing_a_bad_tensor_fails_and_leaves_the_existing_file_untouched()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("keep.png");
        using var good = RandomImage(4, 4, 3);
        ImageFile.Write(path, good);
        var before = File.ReadAllBytes(path);

        using var floats = rand(4, 4, 3);
        Assert.Contains("needs a uint8 tensor", Assert.Throws<TorchException>(() => ImageFile.Write(path, floats)).Message);
        using var two = RandomImage(4, 4, 2);
        Assert.Contains("1, 3 or 4 channels, got 2", Assert.Throws<TorchException>(() => ImageFile.Write(path, two)).Message);
        Assert.Contains("'.bmp'", Assert.Throws<ArgumentException>(() => ImageFile.Write(dir.File("x.bmp"), good)).Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["keep.png"], Directory.GetFiles(dir.Dir).Select(Path.GetFileName));
    }
}
