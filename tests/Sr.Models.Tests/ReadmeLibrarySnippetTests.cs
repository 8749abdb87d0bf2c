using Sr.Models.Inference;
using Sr.Models.Registry;
using Sr.Models.Upscaling;
using Sr.Torch.io;

namespace Sr.Models.Tests;

/// <summary>The README's library snippet, kept compiling and running here (file names as parameters; the rest as written there).</summary>
public sealed class ReadmeLibrarySnippetTests
{
    private static void ReadmeLibrarySnippet(string input, string output)
    {
        using var net = ModelRegistry.Create("rsrnet-sr", scale: 2);          // an untrained SRNet, or:
        var sr = ModelLoader.Load("default", scale: 2, new InferenceOptions { TileSize = 256 });   // default, .srm, .onnx or "bicubic"
        using var image = ImageFile.Read(input);
        using var up = ImageUpscaler.Upscale(image, sr, 2);
        ImageFile.Write(output, up.Pixels);
        (sr as IDisposable)?.Dispose();                                       // network-backed upscalers hold native memory
    }

    [Fact]
    public void The_README_library_snippet_upscales_a_file_x2()
    {
        var output = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}.png");
        ReadmeLibrarySnippet(ImagingTestData.Path("Set5", "butterfly.png"), output);
        using var written = ImageFile.Read(output);
        Assert.Equal((512, 512), ((int)written.Pixels.shape[1], (int)written.Pixels.shape[0]));
        File.Delete(output);
    }
}
