using System.CommandLine;
using Sr.Bench;

namespace Sr.Cli.Commands;

/// <summary>`sr bench [name] [args…]`: runs a benchmark of samples/Sr.Bench (each compares SrMlNet with a reference in one run).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "The benchmark to run; omit to list them.", Arity = ArgumentArity.ZeroOrOne };
        var rest = new Argument<string[]>("args") { Description = "Arguments passed to the benchmark.", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("bench", "Run a benchmark against its reference (not a test: timings vary by machine).") { name, rest };
        cmd.SetAction(parse =>
        {
            var n = parse.GetValue(name);
            if (n is null)
            {
                Console.WriteLine("benchmarks:");
                foreach (var b in Benchmarks.All) Console.WriteLine($"  {b.Name,-16} {b.Description}");
                return 0;
            }
            var bench = Benchmarks.All.FirstOrDefault(b => b.Name == n);
            if (bench is null)
            {
                Console.Error.WriteLine($"error: unknown benchmark '{n}'. Known: {string.Join(", ", Benchmarks.All.Select(b => b.Name))}.");
                return 2;
            }
            return bench.Run(parse.GetValue(rest) ?? [], Console.Out);
        });
        return cmd;
    }
}
