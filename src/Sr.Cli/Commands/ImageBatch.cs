using Sr.Cli.Progress;
using Sr.Torch.io;

namespace Sr.Cli.Commands;

/// <summary>
/// The file-or-folder convention shared by the commands that turn images into images (upscale, degrade, reduce):
/// a file goes to a file (or into a folder as NAME.png); a folder goes to a folder with the same file names as PNG,
/// with a progress bar and a per-file error report that does not stop the batch.
/// </summary>
internal static class ImageBatch
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".ppm", ".pgm", ".pnm", ".webp"];

    /// <summary>Work on one image: reads <c>input</c>, writes <c>output</c> (temp + rename), returns a one-line summary.</summary>
    public delegate string ProcessOne(string input, string output, int index);

    /// <summary>Where the output of <paramref name="file"/> goes inside <paramref name="folder"/>: the same name, as .png.</summary>
    public static string PngIn(string folder, string file) => Path.Combine(folder, Path.GetFileNameWithoutExtension(file) + ".png");

    /// <summary>Errors that concern one file (bad image, unwritable output, an image the method refuses): reported, the batch goes on.</summary>
    public static bool IsPerFileError(Exception e) =>
        e is ImageFormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or Sr.Torch.TorchException;

    /// <summary>Runs <paramref name="process"/> on a file or on every file of a folder; returns the exit code (0 all done, 1 some failed, 2 usage).</summary>
    public static int Run(string input, string output, ProcessOne process, Func<int, int, string> folderSummary,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        return Directory.Exists(input) ? RunFolder(input, output, process, folderSummary, stdout, stderr, ct) : RunFile(input, output, process, stdout, stderr);
    }

    private static int RunFile(string input, string output, ProcessOne process, TextWriter stdout, TextWriter stderr)
    {
        if (Directory.Exists(output)) output = PngIn(output, input);
        try
        {
            stdout.WriteLine(process(input, output, 0));
            return 0;
        }
        catch (Exception e) when (IsPerFileError(e))
        {
            stderr.WriteLine($"error: {CliErrors.Describe(e)}");
            return 1;
        }
    }

    private static int RunFolder(string input, string output, ProcessOne process, Func<int, int, string> summary,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (File.Exists(output))
        {
            stderr.WriteLine($"error: {output}: is a file; for a folder input, -o must be a folder.");
            return 2;
        }
        Directory.CreateDirectory(output);
        var files = Directory.EnumerateFiles(input).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        var failures = new List<string>();
        int done = 0, written = 0;
        using var bar = new ConsoleProgressBar(stdout, live: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            if (!ImageExtensions.Contains(Path.GetExtension(file).ToLowerInvariant()))
            {
                failures.Add($"{file}: skipped (not an image file extension)");
            }
            else
            {
                try
                {
                    // The index counts every file, so a file's seed does not depend on which other files failed.
                    process(file, PngIn(output, file), done);
                    written++;
                }
                catch (Exception e) when (IsPerFileError(e))
                {
                    failures.Add(CliErrors.Describe(e));
                }
            }
            done++;
            bar.Update((double)done / files.Count, $"{done}/{files.Count} {Path.GetFileName(file)}");
        }
        bar.Complete(1, summary(written, files.Count));
        foreach (var f in failures) stderr.WriteLine($"  {f}");
        return failures.Count == 0 ? 0 : 1;
    }
}
