using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sr.Cli.Tests;

/// <summary>
/// The README's CLI tour runs as written: every `./sr` line of its first block, in order, through bash, in a fresh folder laid
/// out as a clone (`src/` and `../shared` beside it), with `--minutes`/`--steps` cut to a few steps. Whatever the tour writes
/// there must be ignored by the repository's .gitignore (a user's outputs are not sources).
/// </summary>
[Collection("cli")]
public sealed partial class ReadmeTourTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sr-tour-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The `./sr` lines of the tour block (the first ```bash block after "### CLI"), continuation lines joined.</summary>
    internal static IReadOnlyList<string> TourCommands()
    {
        var text = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "README.md"));
        int cli = text.IndexOf("### CLI", StringComparison.Ordinal);
        Assert.True(cli >= 0, "README.md has no '### CLI' section");
        int start = text.IndexOf("```bash\n", cli, StringComparison.Ordinal) + "```bash\n".Length;
        int end = text.IndexOf("```", start, StringComparison.Ordinal);
        var block = text[start..end].Replace("\\\n", " ", StringComparison.Ordinal);
        return [.. block.Split('\n').Where(l => l.StartsWith("./sr ", StringComparison.Ordinal))];
    }

    /// <summary>The small budget: a few steps instead of minutes (a resumed run goes a few steps further), small batches.</summary>
    internal static string WithSmallBudget(string command)
    {
        if (!command.StartsWith("./sr train", StringComparison.Ordinal)) return command;
        var code = command.Split(" #", 2)[0];
        code = BudgetRegex().Replace(code, "");
        bool resume = code.Contains("--resume", StringComparison.Ordinal);
        return code.TrimEnd() + (resume ? " --steps 6" : " --steps 3 --batch 2");
    }

    [GeneratedRegex(@"\s--(minutes|steps)\s+\S+")]
    private static partial Regex BudgetRegex();

    [Fact]
    public void Every_tour_command_runs_as_written_and_leaves_only_ignored_files()
    {
        var commands = TourCommands();
        Assert.True(commands.Count >= 10, $"only {commands.Count} tour commands found");
        // A clone's layout: the repository's sources beside ../shared; `./sr` runs the CLI these tests were built with.
        var repo = Directory.CreateDirectory(Path.Combine(_root, "repo")).FullName;
        File.CreateSymbolicLink(Path.Combine(repo, "src"), Path.Combine(CliRunner.RepoRoot, "src"));
        File.CreateSymbolicLink(Path.Combine(_root, "shared"), Path.GetFullPath(Path.Combine(CliRunner.RepoRoot, "..", "shared")));
        var sr = Path.Combine(repo, "sr");
        File.WriteAllText(sr, $"#!/usr/bin/env bash\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "sr.dll")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(sr, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        foreach (var command in commands)
        {
            var run = WithSmallBudget(command);
            var (code, output) = Bash(run, repo);
            Assert.True(code == 0, $"README tour command failed (exit {code}):\n{command}\nran as: {run}\n{output}");
        }

        // Everything the tour wrote into the clone is ignored by the repository's .gitignore.
        // (A folder is asked about with its trailing '/': git matches folder patterns such as /rep/ only so, as the path is not in the repository.)
        var written = Directory.EnumerateFileSystemEntries(repo).Where(p => Path.GetFileName(p) is not ("src" or "sr"))
            .Select(p => Path.GetFileName(p) + (Directory.Exists(p) ? "/" : "")).ToList();
        Assert.NotEmpty(written);
        foreach (var name in written)
        {
            var (ignored, why) = Git(["check-ignore", "--no-index", "-q", name]);
            Assert.True(ignored == 0, $"the tour writes {name} into the repository, and .gitignore does not ignore it ({why})");
        }
    }

    [Fact]
    public void The_budget_rewrite_keeps_the_command_and_cuts_only_the_budget()
    {
        Assert.Equal("./sr train --model x --data d -o m.srm --steps 3 --batch 2", WithSmallBudget("./sr train --model x --data d --minutes 10 -o m.srm   # note"));
        Assert.Equal("./sr train --resume m.ckpt -o m.srm --steps 6", WithSmallBudget("./sr train --resume m.ckpt --minutes 10 -o m.srm"));
        Assert.Equal("./sr eval --model bicubic", WithSmallBudget("./sr eval --model bicubic"));
    }

    private static (int code, string output) Bash(string command, string workingDirectory)
    {
        var psi = new ProcessStartInfo("bash", ["-c", command]) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static (int code, string output) Git(string[] args)
    {
        var psi = new ProcessStartInfo("git", ["-C", CliRunner.RepoRoot, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
