using System.Text.Json;

namespace Sr.Torch.Tests;

/// <summary>The committed fixture files (made by scripts/make_pt_fixture.py) and a scratch folder per test.</summary>
internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllBytes(Path(name))).RootElement;

    /// <summary>A fresh empty folder, deleted when disposed.</summary>
    public static TempDir NewTempDir() => new();

    public sealed class TempDir : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("srtorch-").FullName;
        public string File(string name) => System.IO.Path.Combine(Dir, name);
        public void Dispose()
        {
            try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        }
    }
}
