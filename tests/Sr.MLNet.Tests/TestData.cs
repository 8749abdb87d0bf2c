namespace Sr.MLNet.Tests;

internal static class TestData
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("SrMlNet.sln not found above the test folder.");
        }
    }

    public static string Set5 => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "Set5"));

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "srmlnet-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
