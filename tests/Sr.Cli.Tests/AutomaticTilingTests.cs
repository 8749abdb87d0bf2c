using Sr.Models.Imaging;
using Sr.Models.Inference;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

/// <summary>
/// `sr upscale --memory-budget`: an image too large for a small budget is tiled automatically, and the pixels equal those of
/// an untiled run (and of an explicitly tiled one) within one level of 255. No timing here: speed is for `sr bench upscale`.
/// </summary>
[Collection("cli")]
public class AutomaticTilingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sr-tiling-{Guid.NewGuid():N}");

    public AutomaticTilingTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_small_budget_tiles_the_default_model_and_the_output_equals_the_untiled_run()
    {
        // A 700×480 test image made here: two Set14 pictures side by side (nothing large is committed).
        var input = Path.Combine(_dir, "wide.png");
        using (var a = ImageFile.Read(Path.Combine(CliRunner.SharedData, "Set14", "baboon.png")))
        using (var b = ImageFile.Read(Path.Combine(CliRunner.SharedData, "Set14", "zebra.png")))
        using (var wide = torch.cat([a.Pixels.narrow(0, 0, 380).narrow(1, 0, 350), b.Pixels.narrow(0, 0, 380).narrow(1, 0, 350)], 1).contiguous())
            ImageFile.Write(input, wide);

        const int budgetMiB = 48;
        // The budget really tiles this image: the automatic tile is smaller than the image.
        using (var resolver = DefaultModel.Load(2, new InferenceOptions { MemoryBudgetBytes = budgetMiB << 20 }))
        using (var lr = torch.zeros([1, 1, 380, 700]))
        {
            int tile = resolver.AutomaticTileSize(lr, resolver.Network.ReceptiveFieldRadius);
            Assert.InRange(tile, 16, 379);
        }

        var tiled = Path.Combine(_dir, "tiled.png");
        var whole = Path.Combine(_dir, "whole.png");
        var explicitTiles = Path.Combine(_dir, "explicit.png");
        var (c1, _, e1) = CliRunner.Run("upscale", input, "-o", tiled, "--memory-budget", budgetMiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(c1 == 0, e1);
        var (c2, _, e2) = CliRunner.Run("upscale", input, "-o", whole, "--memory-budget", "100000");
        Assert.True(c2 == 0, e2);
        var (c3, _, e3) = CliRunner.Run("upscale", input, "-o", explicitTiles, "--tile", "100");
        Assert.True(c3 == 0, e3);

        using var t = ImageFile.Read(tiled);
        using var w = ImageFile.Read(whole);
        using var x = ImageFile.Read(explicitTiles);
        Assert.Equal((760, 1400, 3), (t.Height, t.Width, t.Channels));
        Assert.True(MaxLevels(t.Pixels, w.Pixels) <= 1, "automatic tiles vs whole image");
        Assert.True(MaxLevels(x.Pixels, w.Pixels) <= 1, "explicit tiles vs whole image");
    }

    [Fact]
    public void A_bad_budget_is_refused()
    {
        var (code, _, stderr) = CliRunner.Run("upscale", Path.Combine(CliRunner.SharedData, "Set5", "baby.png"), "-o", Path.Combine(_dir, "o.png"), "--memory-budget", "-5");
        Assert.Equal(2, code);
        Assert.Contains("--memory-budget", stderr);
    }

    private static double MaxLevels(Tensor a, Tensor b) =>
        a.to(ScalarType.Float64).sub(b.to(ScalarType.Float64)).abs().max().item<double>();
}
