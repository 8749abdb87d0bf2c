namespace Sr.Bench;

/// <summary>Where the benchmarks find the repository (reference scripts, native sources) and the shared data.</summary>
internal static class BenchPaths
{
    /// <summary>
    /// The folder holding SrMlNet.sln: above the binary (a build inside the checkout), else above the working directory
    /// (a copied binary run from the checkout, e.g. a pinned build for a long measurement).
    /// </summary>
    public static string RepoRoot() =>
        Above(AppContext.BaseDirectory) ?? Above(Directory.GetCurrentDirectory())
        ?? throw new DirectoryNotFoundException($"SrMlNet.sln not found above {AppContext.BaseDirectory} nor above the working directory {Directory.GetCurrentDirectory()}; run the benchmark from the checkout.");

    /// <summary>../shared/data beside the checkout.</summary>
    public static string SharedData() => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "data"));

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) return dir.FullName;
        return null;
    }
}
