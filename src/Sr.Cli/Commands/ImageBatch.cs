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
        // The codecs' own warnings (libpng: "iCCP: known incorrect sRGB profile") are captured by the decoder instead of
        // reaching the terminal raw; here they become one line naming the file.
        var previous = ImageFile.Warning;
        ImageFile.Warning = (file, message) => { lock (stderr) stderr.WriteLine($"warning: {file}: {message}"); };
        try
        {
            return Directory.Exists(input) ? RunFolder(input, output, process, folderSummary, stdout, stderr, ct) : RunFile(input, output, process, stdout, stderr);
        }
        finally
        {
            ImageFile.Warning = previous;
        }
    }

    private static int RunFile(string input, string output, ProcessOne process, TextWriter stdout, TextWriter stderr)
    {
        if (Directory.Exists(output)) output = PngIn(output, input);
        if (SameFile(input, output))
        {
            stderr.WriteLine($"error: {output}: is the input itself; write the result to another file (the input is never overwritten).");
            return 2;
        }
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

    /// <summary>Whether two paths name the same file (after links), so that an output can never replace its own input.</summary>
    internal static bool SameFile(string a, string b)
    {
        static string Real(string p)
        {
            var full = Path.GetFullPath(p);
            try
            {
                var dir = Path.GetDirectoryName(full);
                // The folder may be reached through a link (out → in); the file itself may be a link to the input.
                if (dir is not null && Directory.Exists(dir))
                    dir = Directory.ResolveLinkTarget(dir, returnFinalTarget: true)?.FullName ?? dir;
                full = Path.Combine(dir ?? "", Path.GetFileName(full));
                if (File.Exists(full)) full = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
            }
            catch (IOException) { }
            return full;
        }
        return string.Equals(Real(a), Real(b), StringComparison.Ordinal);
    }

    /// <summary>
    /// The output name of each input: NAME.png, except where several inputs share a NAME (x.png, x.jpg, x.bmp): the .png one
    /// (if any) keeps x.png and the others get NAME.EXT.png (x.jpg.png), so that no output replaces another. Null with a
    /// reason where no safe name exists (the output would be one of the inputs, or the fallback name is taken).
    /// </summary>
    internal static IReadOnlyList<(string Input, string? Output, string? Note)> PlanOutputs(IReadOnlyList<string> inputs, string folder)
    {
        var inputSet = new HashSet<string>(inputs.Select(Path.GetFullPath), StringComparer.Ordinal);
        var byStem = inputs.GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<(string, string?, string?)>();
        foreach (var file in inputs)
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            var group = byStem[stem];
            bool keepsName = group.Count == 1 || string.Equals(Path.GetExtension(file), ".png", StringComparison.OrdinalIgnoreCase)
                && group.Count(f => string.Equals(Path.GetExtension(f), ".png", StringComparison.OrdinalIgnoreCase)) == 1;
            var target = keepsName ? PngIn(folder, file) : Path.Combine(folder, Path.GetFileName(file) + ".png");
            string? note = keepsName ? null : $"{Path.GetFileName(file)} → {Path.GetFileName(target)} ({string.Join(", ", group.Where(f => f != file).Select(Path.GetFileName))} share its name)";
            var full = Path.GetFullPath(target);
            if (inputSet.Contains(full) || inputs.Any(i => SameFile(i, target)))
                plan.Add((file, null, $"{file}: skipped: its output {target} would overwrite an input (write to another folder with -o)"));
            else if (!taken.Add(full))
                plan.Add((file, null, $"{file}: skipped: its output {target} is already the output of another input"));
            else
                plan.Add((file, target, note));
        }
        return plan;
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
        // Every entry, directories and special files included, so that nothing named like an image is passed over in silence.
        var entries = Directory.EnumerateFileSystemEntries(input).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        var failures = new List<string>();
        var notes = new List<string>();
        var images = new List<string>();
        foreach (var entry in entries)
        {
            bool image = ImageExtensions.Contains(Path.GetExtension(entry).ToLowerInvariant());
            if (Directory.Exists(entry))
            {
                if (image) failures.Add($"{entry}: skipped (a directory, not an image file)");
            }
            else if (!image) failures.Add($"{entry}: skipped (not an image file extension)");
            else images.Add(entry);
        }
        var plan = PlanOutputs(images, output);
        int done = 0, written = 0, total = plan.Count;
        using var bar = new ConsoleProgressBar(stdout, live: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        for (int i = 0; i < plan.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (file, target, note) = plan[i];
            if (target is null) failures.Add(note!);
            else
            {
                try
                {
                    // The index counts every image, so a file's seed does not depend on which other files failed.
                    var line = process(file, target, i);
                    written++;
                    if (note is not null) notes.Add($"{file}: written as {note}");
                    // What a conversion changed (16-bit → 8-bit levels, alpha dropped, mod-crop) is said per file, as for one file.
                    int semi = line.IndexOf("; ", StringComparison.Ordinal);
                    if (semi >= 0) notes.Add($"{file}: {line[(semi + 2)..]}");
                }
                catch (Exception e) when (IsPerFileError(e))
                {
                    failures.Add(CliErrors.Describe(e));
                }
            }
            done++;
            bar.Update((double)done / Math.Max(1, total), $"{done}/{total} {Path.GetFileName(file)}");
        }
        bar.Complete(1, summary(written, total) + (failures.Count > 0 ? $" ({failures.Count} not written: see below)" : ""));
        foreach (var n in notes) stdout.WriteLine($"  note: {n}");
        foreach (var f in failures) stderr.WriteLine($"  {f}");
        return failures.Count == 0 ? 0 : 1;
    }
}
