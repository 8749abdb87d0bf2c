using System.CommandLine;
using System.CommandLine.Invocation;
using Sr.Torch;

namespace Sr.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            // Exceptions come here, not to System.CommandLine's default handler (which prints a stack trace).
            // No response files: "@file.json" is ours (--options, --spsr), and a file named "@x" is a file.
            return BuildRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            // Any error that escaped a command: one clear line, non-zero exit, no stack trace for users.
            Console.Error.WriteLine($"error: {CliErrors.Describe(e)}");
            return 1;
        }
    }

    /// <summary>The command tree. Each command lives in Commands/ and is added here with one line.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("SrMlNet: single-image super-resolution for .NET (libtorch inside).");
        if (root.Options.OfType<VersionOption>().FirstOrDefault() is { } version) version.Action = new VersionAction();
        root.Subcommands.Add(Commands.InfoCommand.Create());
        root.Subcommands.Add(Commands.ModelsCommand.Create());
        root.Subcommands.Add(Commands.UpscaleCommand.Create());
        root.Subcommands.Add(Commands.CompareCommand.Create());
        root.Subcommands.Add(Commands.EvalCommand.Create());
        root.Subcommands.Add(Commands.DegradeCommand.Create());
        root.Subcommands.Add(Commands.ReduceCommand.Create());
        root.Subcommands.Add(Commands.TrainCommand.Create());
        root.Subcommands.Add(Commands.PlotCommand.Create());
        root.Subcommands.Add(Commands.ExportCommand.Create());
        root.Subcommands.Add(Commands.ImportCommand.Create());
        return root;
    }

    public static string VersionText() =>
        $"SrMlNet {typeof(Program).Assembly.GetName().Version?.ToString(3)}; libtorch {torch.version}; device cpu" +
        $"{(torch.cuda.is_available() ? $" (cuda available: {torch.cuda.device_count()} device(s))" : "")}; threads {torch.get_num_threads()}" +
        (torch.get_blas_num_threads() is int blas ? $" (OpenBLAS {blas})" : "") + (torch.cpu_cache_enabled() ? "; caching allocator" : "; c10 allocator");

    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            Console.WriteLine(VersionText());
            return 0;
        }
    }
}
