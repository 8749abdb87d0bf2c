using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Tests;

public sealed class EvaluationHarnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Tensor Bird() => ImageFile.Read(ImagingTestData.Path("Set5", "bird.png")).Pixels;

    [Fact]
    public void A_folder_of_bad_and_unusual_files_gives_one_clear_row_per_file()
    {
        using var scope = torch.NewDisposeScope();
        var bird = Bird(); // 288×288 RGB uint8
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not an image");
        File.WriteAllBytes(Path.Combine(_dir, "corrupt.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5]);
        ImageFile.Write(Path.Combine(_dir, "rgb.png"), bird);
        var y = ImageTensor.ToHwcUint8(ColorConversion.RgbToY(ImageTensor.FromHwcUint8(bird), roundLikeUint8: true));
        ImageFile.Write(Path.Combine(_dir, "gray.png"), y);
        ImageFile.Write(Path.Combine(_dir, "rgba.png"), torch.cat([bird, torch.full([288, 288, 1], 128, ScalarType.Byte)], 2));
        File.WriteAllBytes(Path.Combine(_dir, "deep16.png"), Png16(bird));
        ImageFile.Write(Path.Combine(_dir, "tiny.png"), bird.narrow(0, 0, 12).narrow(1, 0, 12).contiguous());

        var report = new SrEvaluator().EvaluateFolder(_dir, new BicubicResolver(), 2, "odd-files");
        var rows = report.Images.ToDictionary(r => r.Name);
        Assert.Equal(7, rows.Count);
        Assert.Equal(EvalOutcome.Skipped, rows["notes.txt"].Outcome);
        Assert.Contains("not an image", rows["notes.txt"].Note);
        Assert.Equal(EvalOutcome.Skipped, rows["corrupt.png"].Outcome);
        Assert.Equal(EvalOutcome.Skipped, rows["tiny.png"].Outcome);
        Assert.Contains("too small", rows["tiny.png"].Note);
        Assert.Equal(EvalOutcome.Evaluated, rows["rgb.png"].Outcome);
        Assert.Equal(EvalOutcome.Evaluated, rows["gray.png"].Outcome);
        Assert.Contains("gray", rows["gray.png"].Note);
        Assert.Equal(EvalOutcome.Converted, rows["rgba.png"].Outcome);
        Assert.Contains("alpha channel dropped", rows["rgba.png"].Note);
        Assert.Equal(EvalOutcome.Converted, rows["deep16.png"].Outcome);
        Assert.Contains("16-bit", rows["deep16.png"].Note);
        // Gray = the Y of rgb.png, RGBA = rgb.png plus alpha, 16-bit = rgb.png·257: all measure exactly as rgb.png on Y.
        double psnr = rows["rgb.png"].Psnr;
        Assert.Equal(psnr, rows["gray.png"].Psnr, 9);
        Assert.Equal(psnr, rows["rgba.png"].Psnr, 9);
        Assert.Equal(psnr, rows["deep16.png"].Psnr, 9);
        Assert.Equal(4, report.MeasuredCount);
        Assert.Equal(psnr, report.MeanPsnr, 9);
    }

    [Fact]
    public void Json_report_has_the_documented_shape_and_writes_infinity_for_a_perfect_method()
    {
        ImageFile.Write(Path.Combine(_dir, "bird.png"), Bird());
        var report = new SrEvaluator().EvaluateFolder(_dir, new OracleResolver(), 2, "one");
        Assert.Equal(double.PositiveInfinity, report.MeanPsnr);
        Assert.Equal(1.0, report.MeanSsim);
        using var doc = JsonDocument.Parse(report.ToJson());
        var root = doc.RootElement;
        Assert.Equal("one", root.GetProperty("dataset").GetString());
        Assert.Equal(2, root.GetProperty("scale").GetInt32());
        Assert.Equal("y-shave", root.GetProperty("protocol").GetString());
        Assert.Equal("Infinity", root.GetProperty("mean").GetProperty("psnr").GetString());
        Assert.Equal(1.0, root.GetProperty("mean").GetProperty("ssim").GetDouble());
        var image = root.GetProperty("images")[0];
        Assert.Equal("bird.png", image.GetProperty("name").GetString());
        Assert.Equal(288, image.GetProperty("width").GetInt32());
        Assert.Contains("inf", report.ToCsv());
        Assert.Contains("| **inf** |", report.ToMarkdown().Replace("**inf**", "| **inf** |").Replace("| | **inf** |", "| **inf** |"));
    }

    [Fact]
    public void Csv_and_markdown_carry_the_protocol_and_use_the_invariant_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            ImageFile.Write(Path.Combine(_dir, "bird.png"), Bird());
            var report = new SrEvaluator(EvalProtocol.NtireRgb).EvaluateFolder(_dir, new BicubicResolver(ColorSpace.Rgb), 3, "one");
            var csv = report.ToCsv().Split('\n');
            Assert.StartsWith("dataset,scale,protocol,method,degradation,name,width,height,psnr,ssim,seconds,outcome,note", csv[0]);
            Assert.StartsWith("one,3,ntire-rgb,bicubic,bicubic,bird.png,288,288,", csv[1]);
            Assert.Contains("ntire-rgb", report.ToMarkdown());
            Assert.Contains("shave 6+scale", report.ToMarkdown());
            report.SaveJson(Path.Combine(_dir, "out.json"));
            Assert.Equal(report.ToJson(), File.ReadAllText(Path.Combine(_dir, "out.json")));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Y_method_under_an_RGB_protocol_is_close_to_RGB_bicubic()
    {
        // Bicubic on Y with bicubic Cb/Cr recombined vs bicubic on R, G, B: the same linear filter, differing only by roundings.
        using var scope = torch.NewDisposeScope();
        var hr = ImageTensor.FromHwcUint8(Bird());
        var evaluator = new SrEvaluator(EvalProtocol.RgbShave);
        var viaY = evaluator.EvaluateImage(hr, new BicubicResolver(ColorSpace.Y), 3);
        var rgb = evaluator.EvaluateImage(hr, new BicubicResolver(ColorSpace.Rgb), 3);
        Assert.InRange(viaY.Psnr - rgb.Psnr, -0.05, 0.05);
    }

    [Fact]
    public void Progress_is_reported_per_file_and_cancellation_stops_the_run()
    {
        ImageFile.Write(Path.Combine(_dir, "a.png"), Bird());
        ImageFile.Write(Path.Combine(_dir, "b.png"), Bird());
        var seen = new List<EvalProgress>();
        var evaluator = new SrEvaluator();
        evaluator.EvaluateFolder(_dir, new BicubicResolver(), 4, "two", new SyncProgress(seen.Add));
        Assert.Equal([1, 2], seen.Select(p => p.Done));
        Assert.All(seen, p => Assert.Equal(2, p.Total));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => evaluator.EvaluateFolder(_dir, new BicubicResolver(), 4, "two", cancellationToken: cts.Token));
    }

    [Fact]
    public void Unknown_models_protocols_and_unsupported_scales_are_refused_by_name()
    {
        Assert.Contains("nosuchnet", Assert.Throws<ArgumentException>(() => SuperResolvers.Resolve("nosuchnet", 2)).Message);
        Assert.Contains("y-shave", Assert.Throws<ArgumentException>(() => EvalProtocol.Parse("psnr-only")).Message);
        Assert.Contains("×7", Assert.Throws<ArgumentException>(() => SuperResolvers.Resolve("bicubic", 7)).Message);
        Assert.IsType<BicubicResolver>(SuperResolvers.Resolve("bicubic", 3));
    }

    /// <summary>A method that returns the HR image it was built from (bicubic cannot be perfect): tests the +∞ path.</summary>
    private sealed class OracleResolver : ISuperResolver
    {
        public string Name => "oracle";
        public ColorSpace ColorSpace => ColorSpace.Y;
        public IReadOnlyList<int> Scales => [2];

        public Tensor Upscale(Tensor lr, int scale)
        {
            using var scope = torch.NewDisposeScope();
            var hr = ImageTensor.FromHwcUint8(Bird());
            return ColorConversion.RgbToY(hr.mul(255).round(), roundLikeUint8: true, peak: 255).div(255).MoveToOuterDisposeScope();
        }
    }

    private sealed class SyncProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }

    /// <summary>A 16-bit RGB PNG of an 8-bit image, every sample v·257 (what a 16-bit export of it holds).</summary>
    private static byte[] Png16(Tensor hwc8)
    {
        int h = (int)hwc8.shape[0], w = (int)hwc8.shape[1];
        var px = hwc8.contiguous().data<byte>();
        var raw = new byte[h * (1 + w * 6)];
        for (int y = 0, o = 0; y < h; y++)
        {
            raw[o++] = 0; // filter: none
            for (int i = 0; i < w * 3; i++, o += 2) BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(o), (ushort)(px[y * w * 3 + i] * 257));
        }
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(raw);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 16; ihdr[9] = 2; // 16 bits, truecolour
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(body);
        uint crc = 0xFFFFFFFF;
        foreach (var b in body)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        var c = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(c, ~crc);
        s.Write(c);
    }
}
