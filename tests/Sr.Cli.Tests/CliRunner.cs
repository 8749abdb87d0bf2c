namespace Sr.Cli.Tests;

/// <summary>Console redirection is process-wide: CLI tests run one at a time.</summary>
[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;

/// <summary>Runs the `sr` entry point in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int code = Program.Main(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>The repository root (the folder holding SrMlNet.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("SrMlNet.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
}
