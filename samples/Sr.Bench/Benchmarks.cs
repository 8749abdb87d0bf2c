namespace Sr.Bench;

/// <summary>The registered benchmarks. Add a line per benchmark.</summary>
public static class Benchmarks
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new NetworksBench(),
        new NativeBench(),
        new ImagingBench(),
        new PipelineBench(),
        new SpsrBench(),
        new OnnxBench(),
        new UpscaleBench(),
    ];

    public static int Main(string[] args)
    {
        if (args.Length == 0 || All.FirstOrDefault(b => b.Name == args[0]) is not { } bench)
        {
            Console.Error.WriteLine("usage: Sr.Bench <name> [args]\nbenchmarks:");
            foreach (var b in All) Console.Error.WriteLine($"  {b.Name,-16} {b.Description}");
            return args.Length == 0 ? 0 : 2;
        }
        return bench.Run(args[1..], Console.Out);
    }
}
