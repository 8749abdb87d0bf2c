using System.CommandLine;
using Sr.Torch;

namespace Sr.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("SrMlNet: single-image super-resolution for .NET (libtorch inside).");
        var info = new Command("info", "Print SrMlNet's version, the libtorch it runs on, the device and thread count.");
        info.SetAction(_ =>
        {
            Console.WriteLine(VersionText());
            return 0;
        });
        root.Subcommands.Add(info);
        return root.Parse(args).Invoke();
    }

    public static string VersionText() =>
        $"SrMlNet {typeof(Program).Assembly.GetName().Version?.ToString(3)}; libtorch {torch.version}; device cpu" +
        $"{(torch.cuda.is_available() ? " (cuda available)" : "")}; threads {torch.get_num_threads()}";
}
