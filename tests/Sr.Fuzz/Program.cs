using System.Globalization;

namespace Sr.Fuzz;

/// <summary>
/// <c>dotnet run --project tests/Sr.Fuzz -c Release -- --images 10000 --models 1000 --seed 1 [--timeout-s 10] [--budget-s N]</c>:
/// prints the summary table; exit 0 when no case crashed, hung, loaded silently wrong or failed without naming its file, 1 otherwise.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = new FuzzOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                options = args[i] switch
                {
                    "--images" => options with { Images = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--models" => options with { Models = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--timeout-s" => options with { CaseTimeout = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "--budget-s" => options with { Budget = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "--work" => options with { WorkDirectory = Next() },
                    _ => throw new ArgumentException($"unknown argument '{args[i]}' (--images N --models N --seed N --timeout-s S --budget-s S --work DIR)"),
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        }
        if (options.Images < 0 || options.Models < 0)
        {
            Console.Error.WriteLine("error: --images and --models must not be negative");
            return 2;
        }
        var summary = Fuzzer.Run(options, Console.Out);
        return summary.Problems == 0 ? 0 : 1;
    }
}
