using System.Buffers.Binary;
using System.Text;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

/// <summary>Issue #19: batches never overwrite their inputs or one output with another, count honestly and say why a file was passed over.</summary>
[Collection("cli")]
public class BatchReliabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-cli-{Guid.NewGuid():N}");

    public BatchReliabilityTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>PNG's chunk CRC (ISO 3309, reflected polynomial 0xEDB88320).</summary>
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

    private static byte[] Pixels(int h, int w, int c, int seed)
    {
        var px = new byte[h * w * c];
        new Random(seed).NextBytes(px);
        return px;
    }

    private static void WritePng(string path, int h, int w, int seed, bool jpeg = false)
    {
        using var t = torch.tensor(Pixels(h, w, 3, seed), [h, w, 3]);
        File.WriteAllBytes(path, ImageFile.Encode(t, jpeg ? 90 : null));
    }

    /// <summary>A 24-bit bottom-up BMP (BITMAPINFOHEADER), rows padded to 4 bytes.</summary>
    private static void WriteBmp(string path, int h, int w, int seed)
    {
        var px = Pixels(h, w, 3, seed);
        int row = (w * 3 + 3) / 4 * 4;
        var b = new byte[54 + row * h];
        "BM"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), b.Length);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), h);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        for (int c = 0; c < 3; c++)
            b[54 + (h - 1 - y) * row + x * 3 + c] = px[(y * w + x) * 3 + 2 - c];
        File.WriteAllBytes(path, b);
    }

    [Fact]
    public void Inputs_sharing_a_name_get_distinct_outputs_each_said_and_the_count_is_honest()
    {
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        WritePng(Path.Combine(input, "x.png"), 12, 12, 1);
        WritePng(Path.Combine(input, "x.jpg"), 14, 14, 2, jpeg: true);
        WriteBmp(Path.Combine(input, "x.bmp"), 16, 16, 3);
        var output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = CliRunner.Run("degrade", input, "-o", output, "--scale", "2");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("3 of 3 files degraded", stdout);
        Assert.Contains($"note: {Path.Combine(input, "x.bmp")}: written as x.bmp → x.bmp.png (x.jpg, x.png share its name)", stdout);
        Assert.Contains($"note: {Path.Combine(input, "x.jpg")}: written as x.jpg → x.jpg.png (x.bmp, x.png share its name)", stdout);
        using (var a = ImageFile.Read(Path.Combine(output, "x.png"))) Assert.Equal(6, a.Width);
        using (var b = ImageFile.Read(Path.Combine(output, "x.jpg.png"))) Assert.Equal(7, b.Width);
        using (var c = ImageFile.Read(Path.Combine(output, "x.bmp.png"))) Assert.Equal(8, c.Width);
        Assert.Equal(3, Directory.GetFiles(output).Length);
    }

    [Fact]
    public void A_folder_written_into_itself_never_overwrites_an_input()
    {
        var folder = Path.Combine(_dir, "same");
        Directory.CreateDirectory(folder);
        WritePng(Path.Combine(folder, "a.png"), 12, 12, 4);
        WritePng(Path.Combine(folder, "b.jpg"), 12, 12, 5, jpeg: true);
        var before = File.ReadAllBytes(Path.Combine(folder, "a.png"));
        var (code, stdout, stderr) = CliRunner.Run("degrade", folder, "-o", folder, "--scale", "2");
        Assert.Equal(1, code);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, "a.png")));
        Assert.Contains($"{Path.Combine(folder, "a.png")}: skipped: its output {Path.Combine(folder, "a.png")} would overwrite an input (write to another folder with -o)", stderr);
        Assert.Contains("1 of 2 files degraded", stdout);
        Assert.Contains("(1 not written: see below)", stdout);
        Assert.True(File.Exists(Path.Combine(folder, "b.png")));
    }

    [Fact]
    public void A_single_file_written_onto_itself_is_refused()
    {
        var path = Path.Combine(_dir, "self.png");
        WritePng(path, 12, 12, 6);
        var before = File.ReadAllBytes(path);
        var (code, _, stderr) = CliRunner.Run("degrade", path, "-o", path, "--scale", "2");
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}: is the input itself; write the result to another file (the input is never overwritten).", stderr);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_directory_named_like_an_image_is_reported_not_passed_over()
    {
        var input = Path.Combine(_dir, "withdir");
        Directory.CreateDirectory(Path.Combine(input, "x.png"));
        WritePng(Path.Combine(input, "y.png"), 12, 12, 7);
        var (code, stdout, stderr) = CliRunner.Run("degrade", input, "-o", Path.Combine(_dir, "o2"), "--scale", "2");
        Assert.Equal(1, code);
        Assert.Contains($"{Path.Combine(input, "x.png")}: skipped (a directory, not an image file)", stderr);
        Assert.Contains("1 of 1 files degraded", stdout);
    }

    [Fact]
    public void A_16_bit_png_in_a_folder_is_written_with_a_note_naming_it()
    {
        var input = Path.Combine(_dir, "deep");
        Directory.CreateDirectory(input);
        using (var wide = torch.tensor(Enumerable.Range(0, 12 * 12).Select(i => i * 400).ToArray(), [12, 12, 1]))
            File.WriteAllBytes(Path.Combine(input, "d.png"), ImageFile.Encode(wide));
        var (code, stdout, _) = CliRunner.Run("degrade", input, "-o", Path.Combine(_dir, "o3"), "--scale", "2");
        Assert.Equal(0, code);
        Assert.Contains($"note: {Path.Combine(input, "d.png")}: 16-bit image scaled to 8-bit levels (round(v/257))", stdout);
    }

    [Fact]
    public void A_file_named_like_an_option_is_passed_after_a_double_dash()
    {
        var old = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = _dir;
            WritePng(Path.Combine(_dir, "-o.png"), 12, 12, 8);
            var (code, stdout, stderr) = CliRunner.Run("degrade", "-o", "small.png", "--scale", "2", "--", "-o.png");
            Assert.True(code == 0, stderr);
            Assert.Contains("-o.png → small.png", stdout);
            using var small = ImageFile.Read(Path.Combine(_dir, "small.png"));
            Assert.Equal(6, small.Width);
        }
        finally
        {
            Environment.CurrentDirectory = old;
        }
    }

    [Fact]
    public void Eval_lists_each_skipped_file_with_its_reason_on_stderr()
    {
        var data = Path.Combine(_dir, "evalset");
        Directory.CreateDirectory(data);
        WritePng(Path.Combine(data, "good.png"), 48, 48, 9);
        var good = File.ReadAllBytes(Path.Combine(data, "good.png"));
        File.WriteAllBytes(Path.Combine(data, "cut.png"), good[..(good.Length / 2)]);
        WritePng(Path.Combine(data, "tiny.png"), 8, 8, 10);
        var (code, _, stderr) = CliRunner.Run("eval", "--model", "bicubic", "--data", data, "--scale", "2");
        Assert.Equal(0, code);
        Assert.Contains("skipped: cut.png: is truncated", stderr);
        Assert.Contains("skipped: tiny.png: too small: 8×8", stderr);
    }

    [Fact]
    public void Upscale_refuses_an_input_over_its_pixel_limit_at_once_naming_the_option()
    {
        // An 8000×8000 PNG header (with one empty IDAT): refused from the header, before decoding or upscaling.
        static byte[] Chunk(string type, byte[] data)
        {
            var c = new byte[12 + data.Length];
            BinaryPrimitives.WriteUInt32BigEndian(c, (uint)data.Length);
            Encoding.ASCII.GetBytes(type).CopyTo(c, 4);
            data.CopyTo(c, 8);
            BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), Crc32(c.AsSpan(4, 4 + data.Length)));
            return c;
        }
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 8000);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 8000);
        ihdr[8] = 8;
        ihdr[9] = 2;
        var path = Path.Combine(_dir, "huge.png");
        File.WriteAllBytes(path, [0x89, .. "PNG\r\n\x1a\n"u8, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), .. Chunk("IEND", [])]);
        var (code, _, stderr) = CliRunner.Run("upscale", path, "-o", Path.Combine(_dir, "huge-x2.png"), "--model", "bicubic");
        Assert.Equal(1, code);
        Assert.Contains($"error: {path}: is 8000×8000 = 64,000,000 pixels, over the limit of 16,777,216 (refused before decoding); sr upscale --max-pixels raises the limit", stderr);
    }

    [Fact]
    public void A_libpng_warning_is_one_line_naming_the_file_not_libpngs_own_output()
    {
        // A valid PNG with an out-of-range sRGB rendering intent (9): libpng warns and reads the pixels.
        using var t = torch.tensor(Pixels(12, 12, 3, 11), [12, 12, 3]);
        var png = ImageFile.Encode(t);
        var srgb = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(srgb, 1);
        "sRGB"u8.CopyTo(srgb.AsSpan(4));
        srgb[8] = 9;
        BinaryPrimitives.WriteUInt32BigEndian(srgb.AsSpan(9), Crc32(srgb.AsSpan(4, 5)));
        var path = Path.Combine(_dir, "intent.png");
        File.WriteAllBytes(path, [.. png[..33], .. srgb, .. png[33..]]);
        var (code, _, stderr) = CliRunner.Run("degrade", path, "-o", Path.Combine(_dir, "intent-lr.png"), "--scale", "2");
        Assert.Equal(0, code);
        Assert.StartsWith($"warning: {path}: libpng warning: ", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Upscale_with_a_model_file_asking_for_a_huge_network_fails_at_once_naming_the_file_once()
    {
        // The shipped ×2 model with its options rewritten: 4096 features, 1024 dense units (tens of terabytes of weights).
        var source = Path.Combine(CliRunner.RepoRoot, "src", "Sr.Models", "DefaultModels", "default-x2.srm");
        var bytes = File.ReadAllBytes(source);
        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var header = System.Text.Json.Nodes.JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject();
        header["__metadata__"]!["options"] = """{"Features": 4096, "DenseUnits": 1024}""";
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var model = Path.Combine(_dir, "huge.srm");
        File.WriteAllBytes(model, [.. BitConverter.GetBytes((long)json.Length), .. json, .. bytes.AsSpan(8 + (int)n)]);
        var image = Path.Combine(_dir, "in.png");
        WritePng(image, 12, 12, 12);
        var (code, _, stderr) = CliRunner.Run("upscale", image, "-o", Path.Combine(_dir, "out.png"), "--model", model);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: --model {model}: options for model 'rsrnet-sr' ×2 describe a network of ", stderr);
        Assert.Contains("over the budget of 1,024 MiB", stderr);
    }
}
