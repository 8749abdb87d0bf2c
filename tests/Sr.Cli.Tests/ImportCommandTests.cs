using System.Text.Json.Nodes;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;
using Sr.Torch.Serialization;

namespace Sr.Cli.Tests;

/// <summary>
/// `sr import`: published weights in ESRGAN's RRDB_PSNR_x4.pth layout (a tiny generated fixture, see
/// Fixtures/make_rrdb_psnr_fixture.py, written with Debian's python3-torch 1.13) become a model file that computes what the
/// PyTorch network computes; what does not map is refused with the list.
/// </summary>
[Collection("cli")]
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => Path.Combine(CliRunner.RepoRoot, "tests", "Sr.Cli.Tests", "Fixtures", name);

    private const string TinyOptions = "{\"nf\":8,\"nb\":2,\"gc\":4}";

    [Fact]
    public void Esrgan_layout_pth_imports_and_computes_what_pytorch_computed()
    {
        var output = Path.Combine(_dir, "rrdb.srm");
        var (code, stdout, stderr) = CliRunner.Run("import", Fixture("rrdb_psnr_tiny_x4.pth"), "--model", "rrdbnet", "--scale", "4", "--options", TinyOptions, "-o", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("mapped by name and shape", stdout);

        var expected = JsonNode.Parse(File.ReadAllText(Fixture("rrdb_psnr_tiny_x4.expected.json")))!;
        float[] Floats(string key) => expected[key]!.AsArray().Select(v => (float)(double)v!).ToArray();
        long[] Shape(string key) => expected[key]!.AsArray().Select(v => (long)v!).ToArray();
        using var file = ModelFile.Read(output);
        Assert.Equal("rrdbnet", file.ModelName);
        Assert.Equal(4, file.Scale);
        Assert.Equal(Path.GetFullPath(Fixture("rrdb_psnr_tiny_x4.pth")), file.Info["imported_from"]);
        using var net = file.CreateNetwork(ModelRegistry.Get("rrdbnet"));
        net.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = torch.tensor(Floats("input"), Shape("input_shape"));
        var ours = net.call(input);
        var theirs = torch.tensor(Floats("output"), Shape("output_shape"));
        Assert.Equal(theirs.shape, ours.shape);
        double scale = theirs.abs().max().item<float>();
        double diff = ours.sub(theirs).abs().max().item<float>();
        Assert.True(scale > 0.01, $"the reference output is nearly zero ({scale}): the check would be weak");
        Assert.True(diff < 1e-5 * Math.Max(1, scale), $"imported network differs from PyTorch's output by {diff} (output magnitude {scale})");
    }

    [Fact]
    public void Weights_of_another_size_are_refused_with_the_list_of_what_does_not_map()
    {
        var output = Path.Combine(_dir, "bad.srm");
        var (code, _, stderr) = CliRunner.Run("import", Fixture("rrdb_psnr_tiny_x4.pth"), "--model", "rrdbnet", "--scale", "4", "--options", "{\"nf\":8,\"nb\":1,\"gc\":4}", "-o", output);
        Assert.Equal(2, code);
        Assert.Contains("rrdb_psnr_tiny_x4.pth: its state dict does not map onto RrdbNet", stderr);
        Assert.Contains("source tensors without a place", stderr);
        Assert.Contains("RRDB_trunk.1.RDB1.conv1.weight (as model.1.sub.1.RDB1.conv1.0.weight)", stderr);
        Assert.Contains("source tensors without a place (30)", stderr); // the second RRDB: 3 dense blocks × 5 convs × weight and bias
        Assert.Contains("--map old=new", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Map_renames_a_prefix_so_a_wrapped_safetensors_file_imports()
    {
        // The same weights under "generator." in a safetensors file: without --map nothing maps, with it everything does.
        var source = PyTorchUnpickler.UnpickleStateDict(Fixture("rrdb_psnr_tiny_x4.pth"));
        var wrapped = Path.Combine(_dir, "wrapped.safetensors");
        Safetensors.SaveStateDict(wrapped, source.ToDictionary(p => "generator." + p.Key, p => p.Value));
        var (refused, _, why) = CliRunner.Run("import", wrapped, "--model", "rrdbnet", "--scale", "4", "--options", TinyOptions, "-o", Path.Combine(_dir, "a.srm"));
        Assert.Equal(2, refused);
        Assert.Contains("generator.conv_first.weight", why);
        var (code, _, stderr) = CliRunner.Run("import", wrapped, "--model", "rrdbnet", "--scale", "4", "--options", TinyOptions, "--map", "generator.=", "-o", Path.Combine(_dir, "b.srm"));
        Assert.True(code == 0, stderr);
        using var a = ModelFile.Read(Path.Combine(_dir, "b.srm"));
        Assert.Equal(0, a.Weights["model.0.weight"].sub(source["conv_first.weight"]).abs().max().item<float>());
    }

    [Fact]
    public void Renames_with_wildcards_fill_the_parts_in_order()
    {
        var r = StateDictImport.Rename.Parse("RRDB_trunk.*.RDB*.conv*.*=model.1.sub.*.RDB*.conv*.0.*");
        Assert.Equal("model.1.sub.12.RDB3.conv5.0.bias", r.Apply("RRDB_trunk.12.RDB3.conv5.bias"));
        Assert.Null(r.Apply("conv_first.weight"));
        var prefix = StateDictImport.Rename.Parse("net_g.=");
        Assert.Equal("conv.weight", prefix.Apply("net_g.conv.weight"));
        Assert.Throws<ArgumentException>(() => StateDictImport.Rename.Parse("a.*=b"));
    }
}
