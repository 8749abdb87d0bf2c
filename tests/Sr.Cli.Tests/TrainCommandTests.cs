using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

[Collection("cli")]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Set5 => Path.Combine(CliRunner.SharedData, "Set5");

    private string TrainSrcnn(string name, params string[] extra)
    {
        var output = Path.Combine(_dir, name + ".srm");
        var (code, stdout, stderr) = CliRunner.Run(["train", "--model", "srcnn", "--scale", "2", "--data", Set5, "--steps", "3", "--batch", "2", "--patch", "24", .. extra, "-o", output]);
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        return output;
    }

    [Fact]
    public void Snapshots_are_written_as_model_files_at_the_given_minutes()
    {
        // A snapshot time already passed after the first step: it is written once, between steps, as a loadable model.
        var output = TrainSrcnn("snap", "--snapshots", "0.00001");
        var snapshot = Path.Combine(_dir, "snap.at-0min.srm");
        Assert.True(File.Exists(snapshot), string.Join(", ", Directory.GetFiles(_dir)));
        using var file = ModelFile.Read(snapshot);
        Assert.Equal("srcnn", file.ModelName);
        Assert.Equal("1", file.Info["steps"]);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Init_starts_from_a_model_file_of_the_same_network()
    {
        var first = TrainSrcnn("first");
        var (code, stdout, stderr) = CliRunner.Run("train", "--model", "srcnn", "--scale", "2", "--data", Set5, "--steps", "1", "--batch", "2", "--patch", "24",
            "--lr", "1e-12", "--init", first, "-o", Path.Combine(_dir, "second.srm"));
        Assert.True(code == 0, stderr);
        Assert.Contains("initialised 6 of 6 weight tensors", stdout);
        // One step at lr 1e-12 leaves the weights where --init put them (to float precision).
        using var a = ModelFile.Read(first);
        using var b = ModelFile.Read(Path.Combine(_dir, "second.srm"));
        foreach (var (name, w) in a.Weights)
            Assert.True(w.sub(b.Weights[name]).abs().max().item<double>() < 1e-6, name);
    }

    [Fact]
    public void Init_from_another_network_or_scale_is_refused_naming_the_file()
    {
        var srcnn = TrainSrcnn("srcnn");
        var (code, _, stderr) = CliRunner.Run("train", "--model", "vdsr", "--scale", "2", "--data", Set5, "--steps", "1", "--init", srcnn, "-o", Path.Combine(_dir, "v.srm"));
        Assert.NotEqual(0, code);
        Assert.Contains(srcnn, stderr);
        Assert.Contains("'srcnn' model and cannot initialise a 'vdsr'", stderr);
        (code, _, stderr) = CliRunner.Run("train", "--model", "srcnn", "--scale", "3", "--data", Set5, "--steps", "1", "--init", srcnn, "-o", Path.Combine(_dir, "s3.srm"));
        Assert.NotEqual(0, code);
        Assert.Contains("×2 model and cannot initialise a ×3", stderr);
    }

    [Fact]
    public void Lsp_hsp_takes_boundary_maps_from_the_data_folder_or_from_boundaries_and_says_which()
    {
        var data = Path.Combine(_dir, "data");
        var maps = Path.Combine(data, "boundaries");
        Directory.CreateDirectory(maps);
        var random = new Random(3);
        foreach (var name in new[] { "a.png", "b.png" })
        {
            var px = new byte[40 * 40];
            random.NextBytes(px);
            using var image = torch.tensor(px, [40, 40, 1]);
            ImageFile.Write(Path.Combine(data, name), image);
            random.NextBytes(px);
            using var map = torch.tensor(px, [40, 40, 1]);
            ImageFile.Write(Path.Combine(maps, name), map);
        }
        string[] Train(string model, params string[] extra) =>
            ["train", "--model", model, "--scale", "2", "--data", data, "--steps", "1", "--batch", "2", "--patch", "16", .. extra, "-o", Path.Combine(_dir, model + ".srm")];

        var (code, stdout, stderr) = CliRunner.Run(Train("lsp-hsp"));
        Assert.True(code == 0, stderr);
        Assert.Contains($"boundary targets: 2 maps from {maps}", stdout);
        using (var ckpt = Checkpoint.Load(Path.Combine(_dir, "lsp-hsp.ckpt"))) Assert.Equal(maps, ckpt.Metadata["boundaries"]);

        Directory.Move(maps, Path.Combine(_dir, "elsewhere"));
        (code, stdout, stderr) = CliRunner.Run(Train("lsp-hsp"));
        Assert.True(code == 0, stderr);
        Assert.Contains("boundary targets: Sobel edges of the HR patches (no boundary files", stdout);
        (code, stdout, stderr) = CliRunner.Run(Train("lsp-hsp", "--boundaries", Path.Combine(_dir, "elsewhere")));
        Assert.True(code == 0, stderr);
        Assert.Contains($"boundary targets: 2 maps from {Path.Combine(_dir, "elsewhere")}", stdout);

        File.Delete(Path.Combine(_dir, "elsewhere", "b.png"));
        (code, _, stderr) = CliRunner.Run(Train("lsp-hsp", "--boundaries", Path.Combine(_dir, "elsewhere")));
        Assert.NotEqual(0, code);
        Assert.Contains("no boundary map for 1 of 2 training images (b.png)", stderr);
        (code, _, stderr) = CliRunner.Run(Train("srcnn", "--boundaries", Path.Combine(_dir, "elsewhere")));
        Assert.Equal(2, code);
        Assert.Contains("--boundaries applies to a network with a boundary output", stderr);
    }

    [Theory]
    [InlineData("--snapshots", "1,abc", "--snapshots: 'abc'")]
    [InlineData("--resume", "x.ckpt", "--init and --resume exclude each other")]
    [InlineData("--spsr", "{}", "--spsr applies to spsr-g")]
    public void Argument_errors_exit_2_with_one_line_naming_the_option(string option, string value, string expected)
    {
        var args = new List<string> { "train", "--model", "srcnn", "--data", Set5, "--steps", "1", option, value, "-o", Path.Combine(_dir, "x.srm") };
        if (option == "--resume") args.AddRange(["--init", Path.Combine(_dir, "none.srm")]);
        var (code, _, stderr) = CliRunner.Run([.. args]);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Spsr_g_trains_adversarially_from_an_rrdbnet_model_file()
    {
        const string size = """{"nf": 8, "nb": 1, "gc": 4}""";
        var rrdb = Path.Combine(_dir, "rrdb.srm");
        var (code, _, stderr) = CliRunner.Run("train", "--model", "rrdbnet", "--scale", "4", "--options", size, "--data", Set5, "--steps", "1", "--batch", "1", "--patch", "64", "-o", rrdb);
        Assert.True(code == 0, stderr);

        var spsr = Path.Combine(_dir, "spsr.srm");
        string stdout;
        (code, stdout, stderr) = CliRunner.Run("train", "--model", "spsr-g", "--scale", "4", "--options", size, "--data", Set5, "--steps", "2", "--batch", "1", "--patch", "128",
            "--init", rrdb, "--spsr", """{"FeatureWeight": 0, "BranchInitIterations": 1, "DiscriminatorFeatures": 8}""", "-o", spsr);
        Assert.True(code == 0, $"{stderr}\n{stdout}");
        Assert.Contains("SPSR-G GAN: discriminators image, gradient", stdout);
        // The trunk (fea_conv, RRDBs, LR_conv, up-sampler, HR_conv0) comes from RRDBNet; RRDBNet's RGB conv has no SPSR namesake.
        using var r = ModelFile.Read(rrdb);
        using var g = ModelFile.Read(spsr);
        Assert.Matches(@"initialised \d+ of \d+ weight tensors", stdout);
        Assert.Equal(r.Weights.Count - 2, r.Weights.Keys.Count(k => g.Weights.ContainsKey(k)));
        Assert.Equal("spsr-g", g.ModelName);
        Assert.Equal("2", g.Info["steps"]);
        using var net = g.CreateNetwork(ModelRegistry.Get("spsr-g"));
        Assert.Equal(g.Weights.Count, net.state_dict().Count);
    }

    [Fact]
    public void Spsr_g_keeps_a_checkpoint_and_resume_continues_it_exactly_with_the_stored_gan_settings()
    {
        const string size = """{"nf": 8, "nb": 1, "gc": 4}""";
        const string settings = """{"FeatureWeight": 0, "BranchInitIterations": 2, "DiscriminatorFeatures": 8}""";
        string[] Train(string output, string steps) =>
            ["train", "--model", "spsr-g", "--scale", "4", "--options", size, "--data", Set5, "--steps", steps, "--batch", "1", "--patch", "128", "--spsr", settings, "-o", output];
        var straight = Path.Combine(_dir, "straight.srm");
        var (code, stdout, stderr) = CliRunner.Run(Train(straight, "3"));
        Assert.True(code == 0, $"{stderr}\n{stdout}");

        var resumed = Path.Combine(_dir, "g.srm");
        var ckpt = Path.Combine(_dir, "g.ckpt");
        (code, stdout, stderr) = CliRunner.Run(Train(resumed, "2"));
        Assert.True(code == 0, $"{stderr}\n{stdout}");
        Assert.Contains($"checkpoint {ckpt}", stdout);
        using (var c = Checkpoint.Load(ckpt))
        {
            Assert.Equal(2, c.Step);
            Assert.Equal("spsr-gan", c.Kind);
            Assert.Contains("\"DiscriminatorFeatures\":8", c.Metadata["spsr"]);
        }

        // Model, size, data, patch and the --spsr settings come from the checkpoint (D width 8, fusion-only for 2 iterations).
        (code, stdout, stderr) = CliRunner.Run("train", "--resume", ckpt, "--steps", "3", "-o", resumed);
        Assert.True(code == 0, $"{stderr}\n{stdout}");
        Assert.Contains($"resuming from {ckpt}", stdout);
        Assert.DoesNotContain("warning", stderr);
        using var a = ModelFile.Read(straight);
        using var b = ModelFile.Read(resumed);
        Assert.Equal("3", b.Info["steps"]);
        Assert.Equal(a.Weights.Keys.Order(), b.Weights.Keys.Order());
        foreach (var (name, w) in a.Weights)
            Assert.True(w.sub(b.Weights[name]).abs().max().item<double>() == 0, $"{name} differs from the uninterrupted run");
    }

    [Fact]
    public void Spsr_g_without_vgg19_weights_fails_at_start_saying_which_file()
    {
        var (code, _, stderr) = CliRunner.Run("train", "--model", "spsr-g", "--scale", "4", "--options", """{"nf": 8, "nb": 1, "gc": 4}""", "--data", Set5, "--steps", "1",
            "--spsr", """{"Vgg19WeightsPath": "/nowhere/vgg19-dcbb9e9d.pth"}""", "-o", Path.Combine(_dir, "g.srm"));
        Assert.NotEqual(0, code);
        Assert.Contains("/nowhere/vgg19-dcbb9e9d.pth", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "g.srm")));
    }
}
