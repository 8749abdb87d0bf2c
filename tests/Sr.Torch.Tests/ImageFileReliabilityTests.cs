using System.Buffers.Binary;
using System.Diagnostics;
using Sr.Torch.io;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

/// <summary>Issue #19: what may reach the decoder (regular files, bounded), corrupt JPEG data, codec diagnostics, stale temporaries.</summary>
public class ImageFileReliabilityTests
{
    private static byte[] Jpeg(int seed, int size = 64, int quality = 90)
    {
        manual_seed((ulong)seed);
        using var scope = NewDisposeScope();
        // Smooth content plus noise: enough entropy-coded data that damage in its middle is seen by libjpeg.
        var pixels = (rand(size, size, 3) * 255).to(ScalarType.Byte);
        return ImageFile.Encode(pixels, jpegQuality: quality);
    }

    private static void MkFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public async Task A_fifo_named_like_an_image_is_refused_without_opening_it()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("x.png");
        MkFifo(path);
        var read = Task.Run(() => Assert.Throws<ImageFormatException>(() => ImageFile.Read(path)));
        var e = await read.WaitAsync(TimeSpan.FromSeconds(20)); // a TimeoutException here: reading the FIFO blocked
        Assert.Equal($"{path}: is empty (0 bytes) or not a regular file (a FIFO, device or socket)", e.Message);
        var link = dir.File("link.png");
        File.CreateSymbolicLink(link, path);
        var viaLink = await Task.Run(() => Assert.Throws<ImageFormatException>(() => ImageFile.Read(link))).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal($"{link}: is a link to {path}, which is empty or not a regular file (a FIFO, device or socket)", viaLink.Message);
    }

    [Fact]
    public void A_link_to_dev_zero_is_refused_before_reading_a_byte()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("zero.png");
        File.CreateSymbolicLink(path, "/dev/zero");
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = ImageFileTests.Refused(path, "is a link to /dev/zero, which is empty or not a regular file");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 10_000_000);
        Assert.NotNull(e);
    }

    [Fact]
    public void A_directory_named_like_an_image_is_refused_with_a_message()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("x.png");
        Directory.CreateDirectory(path);
        ImageFileTests.Refused(path, "is a directory, not an image file");
    }

    [Fact]
    public void A_file_over_the_byte_limit_is_refused_before_it_is_read()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("big.jpg");
        File.WriteAllBytes(path, Jpeg(1));
        long size = new FileInfo(path).Length;
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path, maxFileBytes: 1000));
        Assert.Equal($"{path}: is {size:N0} bytes, over the limit of 1,000 for an image file", e.Message);
        using var ok = ImageFile.Read(path);
        Assert.Equal(64, ok.Width);
    }

    [Fact]
    public void Corrupt_jpeg_entropy_data_that_still_ends_with_EOI_is_an_error_naming_the_file()
    {
        using var dir = Fixtures.NewTempDir();
        var good = Jpeg(2, size: 128);
        var path = dir.File("good.jpg");
        File.WriteAllBytes(path, good);
        using (var ok = ImageFile.Read(path)) Assert.Equal(128, ok.Width);

        // Overwrite a stretch in the middle of the scan with a marker-like byte pattern: the header, the frame and the EOI
        // stay intact, so only libjpeg's own (warning-level) check sees it.
        var bad = (byte[])good.Clone();
        int sos = bad.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
        int mid = sos + (bad.Length - sos) / 2;
        for (int i = 0; i < 64; i++) bad[mid + i] = (byte)(i % 2 == 0 ? 0xFF : 0xD3 + i % 3);
        Assert.Equal([0xFF, 0xD9], bad[^2..]);
        var badPath = dir.File("garbled.jpg");
        File.WriteAllBytes(badPath, bad);
        var e = ImageFileTests.Refused(badPath, "has corrupt JPEG data (libjpeg: Corrupt JPEG data");
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void A_png_with_damaged_compressed_data_reports_libpngs_message_in_ours()
    {
        using var dir = Fixtures.NewTempDir();
        using var pixels = (rand(16, 16, 3) * 255).to(ScalarType.Byte);
        var png = ImageFile.Encode(pixels);
        int idat = png.AsSpan().IndexOf("IDAT"u8);
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(idat - 4));
        png[idat + 4 + length / 2] ^= 0x55; // data changed, CRC kept: zlib's check fails inside libpng
        var path = dir.File("crc.png");
        File.WriteAllBytes(path, png);
        var e = ImageFileTests.Refused(path, "cannot be decoded as Png (libpng error: IDAT: incorrect data check");
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Stale_temporaries_of_dead_processes_are_removed_on_the_next_write_there_and_live_ones_kept()
    {
        using var dir = Fixtures.NewTempDir();
        // A process that has exited: its pid is free (Linux does not reuse it at once).
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        var dead = dir.File($".out.png{AtomicFile.TempMarker}{p.Id}-{Guid.NewGuid():N}");
        var oldStyle = dir.File($".out.png.{p.Id}.{Guid.NewGuid():N}.tmp");
        var live = dir.File($".out.png{AtomicFile.TempMarker}{Environment.ProcessId}-{Guid.NewGuid():N}");
        var unrelated = dir.File(".out.png.notes");
        foreach (var f in new[] { dead, oldStyle, live, unrelated }) File.WriteAllText(f, "x");
        AtomicFile.WriteAllBytes(dir.File("out.png"), [1, 2, 3]);
        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(oldStyle));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(unrelated));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(dir.File("out.png")));
    }

    [Fact]
    public void A_write_replaces_a_link_at_the_target_instead_of_following_it_into_another_folder()
    {
        using var dir = Fixtures.NewTempDir();
        using var other = Fixtures.NewTempDir();
        var elsewhere = other.File("precious.png");
        File.WriteAllBytes(elsewhere, [9, 9]);
        var target = dir.File("out.png");
        File.CreateSymbolicLink(target, elsewhere);
        AtomicFile.WriteAllBytes(target, [1]);
        Assert.Equal([9, 9], File.ReadAllBytes(elsewhere));
        Assert.Null(new FileInfo(target).LinkTarget);
        Assert.Equal([1], File.ReadAllBytes(target));
    }
}
