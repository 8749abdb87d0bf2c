namespace Sr.Torch.io;

/// <summary>
/// Writes files through a temporary sibling and a rename, so readers never see a partial file. The temporary is named
/// <c>.NAME.sr-tmp-PID-GUID</c>: a process killed mid-write (kill -9) leaves it behind, and the next write into that
/// folder removes those of processes that no longer run. The rename replaces a link at the target path (it is never
/// followed into another folder).
/// </summary>
public static partial class AtomicFile
{
    /// <summary>The marker in a temporary file's name.</summary>
    public const string TempMarker = ".sr-tmp-";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Swept = new(StringComparer.Ordinal);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var tmp = TempName(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> on a temporary file's stream, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var tmp = TempName(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    private static string TempName(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        if (Swept.TryAdd(dir, true)) RemoveStaleTemporaries(dir);
        return System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}{TempMarker}{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    /// <summary>
    /// Deletes the temporaries in <paramref name="folder"/> left by processes that no longer run (this naming, and the
    /// older <c>.NAME.PID.GUID.tmp</c>); returns how many. A live process's temporaries are kept (it may still be writing).
    /// </summary>
    public static int RemoveStaleTemporaries(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        int removed = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, ".*"))
            {
                var name = System.IO.Path.GetFileName(file);
                var m = StaleName().Match(name);
                if (!m.Success || !int.TryParse(m.Groups["pid"].Value, out int pid) || IsAlive(pid)) continue;
                try
                {
                    File.Delete(file);
                    removed++;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return removed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+(\.sr-tmp-(?<pid>\d+)-[0-9a-f]{32}|\.(?<pid>\d+)\.[0-9a-f]{32}\.tmp)$")]
    private static partial System.Text.RegularExpressions.Regex StaleName();

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (Directory.Exists("/proc/self")) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string tmp)
    {
        try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
