namespace Sr.Bench;

/// <summary>One benchmark: runs SrMlNet and its reference on the same work and prints a comparison.</summary>
public interface IBenchmark
{
    /// <summary>The name given on the command line (`sr bench NAME` / `dotnet run --project samples/Sr.Bench -- NAME`).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Runs and returns the result lines (Markdown table rows or JSON) also written to stdout.</summary>
    int Run(string[] args, TextWriter output);
}
