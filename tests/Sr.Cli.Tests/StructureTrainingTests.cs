using Sr.Models.Networks.Spsr;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

/// <summary>`sr train --model nse-p|nse-j`: the structure extractors SPSR-P/-J need, trained and written from the command line.</summary>
[Collection("cli")]
public sealed class StructureTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-nse-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Images()
    {
        var folder = Path.Combine(_dir, "images");
        Directory.CreateDirectory(folder);
        var random = new Random(5);
        for (int i = 0; i < 2; i++)
        {
            var px = new byte[72 * 80 * 3];
            random.NextBytes(px);
            using var t = torch.tensor(px, [72, 80, 3]);
            ImageFile.Write(Path.Combine(folder, $"i{i}.png"), t);
        }
        return folder;
    }

    [Theory]
    [InlineData("nse-p", "1 + ")]
    [InlineData("nse-j", "1 of 24 permutations")]
    public void Trains_reports_held_out_top1_against_chance_and_writes_loadable_weights(string model, string chance)
    {
        var data = Images();
        var output = Path.Combine(_dir, model + ".safetensors");
        var (code, stdout, stderr) = CliRunner.Run("train", "--model", model, "--data", data, "--val", data, "--steps", "2", "--batch", "2", "--patch", "64", "-o", output);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"held-out top-1 on 2 images of {data}", stdout);
        Assert.Contains(chance, stdout);
        Assert.Contains($"wrote {output} (step bound reached, 2 steps)", stdout);
        using var nse = new NeuralStructureExtractor().load_safetensors(output);
        Assert.Equal(32, nse.Channels);
    }

    [Fact]
    public void Jigsaw_takes_the_papers_learning_rate_unless_told_and_options_override_fields()
    {
        var data = Images();
        var output = Path.Combine(_dir, "j.safetensors");
        var (code, stdout, stderr) = CliRunner.Run("train", "--model", "nse-j", "--data", data, "--steps", "1", "--batch", "1", "--patch", "48",
            "--options", "{\"samplesPerMap\": 3}", "-o", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("Adam lr 0.0001", stdout);
        Assert.Contains("3 puzzles per map", stdout);
        (code, stdout, stderr) = CliRunner.Run("train", "--model", "nse-p", "--data", data, "--steps", "1", "--batch", "1", "--patch", "64",
            "--options", "{\"Sampling\": 2}", "-o", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("Adam lr 0.001", stdout);
        Assert.Contains("Cross sampling", stdout);
    }

    [Theory]
    [InlineData("--scale", "2")]
    [InlineData("--resume", "x.ckpt")]
    [InlineData("--degradation", "bicubic")]
    public void Options_that_belong_to_sr_networks_are_refused(string option, string value)
    {
        var (code, _, stderr) = CliRunner.Run("train", "--model", "nse-p", "--data", Images(), "--steps", "1", option, value, "-o", Path.Combine(_dir, "x.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains($"{option} does not apply to nse-p", stderr);
    }
}
