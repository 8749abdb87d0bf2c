using System.CommandLine;
using Sr.Torch;

namespace Sr.Cli;

public static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>The command tree. Each command lives in Commands/ and is added here with one line.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("SrMlNet: single-image super-resolution for .NET (libtorch inside).");
        root.Subcommands.Add(InfoCommand());
        root.Subcommands.Add(Commands.ModelsCommand.Create());
        return root;
    }

    private static Command InfoCommand()
    {
        var info = new Command("info", "Print SrMlNet's version, the libtorch it runs on, the device and thread count.");
        info.SetAction(_ =>
        {
            Console.WriteLine(VersionText());
            return 0;
        });
        return info;
    }

    public static string VersionText() =>
        $"SrMlNet {typeof(Program).Assembly.GetName().Version?.ToString(3)}; libtorch {torch.version}; device cpu" +
        $"{(torch.cuda.is_available() ? " (cuda available)" : "")}; threads {torch.get_num_threads()}";
}
