using System.Text.Json.Nodes;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class TrainingModelFileTests
{
    private static ModelInfo TinyInfo() => new("tiny", "test double", ColorSpace.Y, [2, 3], (scale, _) => new TrainingTinyNet(scale), new TrainingRecipe());

    [Fact]
    public void A_model_file_round_trips_weights_name_scale_options_and_info()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "tiny-x3" + ModelFile.Extension);
        using var net = TrainingFixtures.Net(scale: 3);
        var options = new JsonObject { ["blocks"] = 4, ["variant"] = "same" };
        ModelFile.Save(path, net, "tiny", options, new Dictionary<string, string> { ["steps"] = "1200", ["seed"] = "7" });

        using var file = ModelFile.Read(path);
        Assert.Equal(("tiny", 3, ColorSpace.Y), (file.ModelName, file.Scale, file.ColorSpace));
        Assert.Equal(options.ToJsonString(), file.Options!.ToJsonString());
        Assert.Equal("1200", file.Info["steps"]);
        Assert.Equal("7", file.Info["seed"]);
        using var rebuilt = file.CreateNetwork(TinyInfo());
        Assert.Equal(3, rebuilt.Scale);
        var expected = TrainingFixtures.Snapshot(net);
        foreach (var (name, values) in TrainingFixtures.Snapshot(rebuilt)) Assert.Equal(expected[name], values);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = rand(1, 1, 8, 8);
        Assert.Equal(net.forward(x).data<float>(), rebuilt.forward(x).data<float>());
    }

    [Fact]
    public void A_model_file_stores_every_option_the_network_was_built_with_so_a_later_default_change_does_not_alter_it()
    {
        // Each registered network with an options record: the file holds the whole record (not just the JSON given), and
        // rebuilding from the file gives the same record. An lsp file saved with "{}" before PlacementThreshold's default
        // moved from 0.02 to 0.1 would have rebuilt a different network.
        var dir = TrainingFixtures.TempDir();
        foreach (var info in ModelRegistry.All.Where(i => i.OptionsType is not null && i.Scales.Contains(2)))
        {
            using var net = info.Create(2, null);
            var record = net.GetType().GetProperty("Options")?.GetValue(net);
            if (record is null) continue;
            var path = Path.Combine(dir, info.Name + ModelFile.Extension);
            ModelFile.Save(path, net, info.Name);
            using var file = ModelFile.Read(path);
            var stored = file.Options!;
            foreach (var property in record.GetType().GetProperties())
                Assert.True(stored.ContainsKey(property.Name), $"{info.Name}: option {property.Name} not stored in {stored.ToJsonString()}");
            using var rebuilt = file.CreateNetwork(info);
            Assert.Equal(record, rebuilt.GetType().GetProperty("Options")!.GetValue(rebuilt));
        }
        using var lsp = ModelRegistry.Get("lsp").Create(2, null);
        var lspPath = Path.Combine(dir, "lsp-full" + ModelFile.Extension);
        ModelFile.Save(lspPath, lsp, "lsp");
        using var lspFile = ModelFile.Read(lspPath);
        Assert.Equal(0.1, lspFile.Options!["PlacementThreshold"]!.GetValue<double>());
    }

    [Fact]
    public void A_model_file_for_another_network_or_truncated_is_refused_with_the_file_named()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "m.srm");
        using var net = TrainingFixtures.Net();
        ModelFile.Save(path, net, "other-net");
        using (var file = ModelFile.Read(path))
            Assert.Contains("'other-net'", Assert.Throws<ArgumentException>(() => file.CreateNetwork(TinyInfo())).Message);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<Sr.Torch.Serialization.WeightsFormatException>(() => ModelFile.Read(path));
        Assert.Contains(path, e.Message);
        File.WriteAllBytes(path, []);
        Assert.Contains(path, Assert.Throws<Sr.Torch.Serialization.WeightsFormatException>(() => ModelFile.Read(path)).Message);
        Assert.Throws<FileNotFoundException>(() => ModelFile.Read(Path.Combine(dir, "missing.srm")));
    }

    [Fact]
    public void Weights_that_do_not_fit_the_network_are_reported_against_the_file()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "m.srm");
        using var net = TrainingFixtures.Net(scale: 2);
        ModelFile.Save(path, net, "tiny");
        var info = TinyInfo() with { Create = (s, _) => new TrainingTinyNet(s + 1) }; // a factory whose shapes differ
        using var file = ModelFile.Read(path);
        var e = Assert.Throws<Sr.Torch.Serialization.WeightsFormatException>(() => file.CreateNetwork(info));
        Assert.Contains(path, e.Message);
        Assert.Contains("conv2.weight", e.Message);
    }
}
