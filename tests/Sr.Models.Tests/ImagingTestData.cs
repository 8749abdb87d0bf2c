namespace Sr.Models.Tests;

/// <summary>Finds ../shared/data next to the repository (the folder holding SrMlNet.sln).</summary>
internal static class ImagingTestData
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string RepoRoot { get; } = FindRepo();

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SrMlNet.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No SrMlNet.sln above {AppContext.BaseDirectory}.");
    }

    private static string Find()
    {
        var data = System.IO.Path.GetFullPath(System.IO.Path.Combine(FindRepo(), "..", "shared", "data"));
        if (!Directory.Exists(data)) throw new DirectoryNotFoundException($"The shared data folder {data} is missing.");
        return data;
    }

    public static readonly string[] Set5Names = ["baby", "bird", "butterfly", "head", "woman"];

    public static readonly string[] Set14Names =
        ["baboon", "barbara", "bridge", "coastguard", "comic", "face", "flowers", "foreman", "lenna", "man", "monarch", "pepper", "ppt3", "zebra"];
}
