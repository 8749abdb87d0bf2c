using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Registry;

namespace Sr.Models.Tests;

public class RegistryTests
{
    [Fact]
    public void Registry_lists_the_four_papers_and_the_baselines()
    {
        // Built-ins come first, in this order (a test below registers one more).
        var names = ModelRegistry.All.Select(m => m.Name).Take(8).ToArray();
        Assert.Equal(["btsrn", "rsrnet", "rsrnet-sr", "glrl", "lsp", "lsp-hsp", "srcnn", "vdsr"], names);
        foreach (var m in ModelRegistry.All.Take(8))
        {
            Assert.Equal([2, 3, 4], m.Scales);
            Assert.False(string.IsNullOrWhiteSpace(m.Paper));
            Assert.False(string.IsNullOrWhiteSpace(m.RecipeFor(3).Notes));
            foreach (var scale in m.Scales) Assert.Equal(0, m.RecipeFor(scale).HrPatchSize % scale);
        }
        Assert.Equal(ColorSpace.Rgb, ModelRegistry.Get("BTSRN").ColorSpace);
    }

    [Fact]
    public void Factories_build_the_registered_types_with_options_from_json()
    {
        using var btsrn = ModelRegistry.Create("btsrn", 2, new JsonObject { ["validConvolutions"] = false, ["HrBlocks"] = 3 });
        var b = Assert.IsType<Btsrn>(btsrn);
        Assert.False(b.Options.ValidConvolutions);
        Assert.Equal(3, b.Options.HrBlocks);
        using var lsp = Assert.IsType<LspHsp>(ModelRegistry.Create("lsp", 2));
        Assert.Equal(0, lsp.BoundaryWeight);
        using var lspGiven = Assert.IsType<LspHsp>(ModelRegistry.Create("lsp", 2, new JsonObject { ["ShepardChannels"] = 16 }));
        Assert.Equal(0, lspGiven.BoundaryWeight);
        using var hsp = Assert.IsType<LspHsp>(ModelRegistry.Create("lsp-hsp", 4));
        Assert.Equal(0.1, hsp.BoundaryWeight);
        using var rsr = ModelRegistry.Create("rsrnet", 3);
        Assert.IsAssignableFrom<IReducingNetwork>(rsr);
    }

    [Fact]
    public void Bad_names_scales_and_options_are_errors_that_name_them()
    {
        var unknown = Assert.Throws<ArgumentException>(() => ModelRegistry.Get("edsr"));
        Assert.Contains("edsr", unknown.Message);
        Assert.Contains("rsrnet-sr", unknown.Message);
        var scale = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("vdsr", 8));
        Assert.Contains("not 8", scale.Message);
        var option = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("glrl", 2, new JsonObject { ["Chanels"] = 32 }));
        Assert.Contains("Chanels", option.Message);
        Assert.Contains("glrl", option.Message);
    }

    [Fact]
    public void Options_defaults_serialise_to_json_and_back()
    {
        foreach (var m in ModelRegistry.All.Take(8))
        {
            var defaults = ModelOptions.Defaults(m.OptionsType!);
            Assert.NotEmpty(defaults);
            using var net = m.Create(2, defaults);
            Assert.Equal(2, net.Scale);
        }
    }

    [Fact]
    public void Third_parties_can_register_and_duplicates_are_refused()
    {
        var info = new ModelInfo("test-srcnn-5", "test", ColorSpace.Y, [2], (s, o) => new Srcnn(s, new SrcnnOptions { F1 = 5 }), new TrainingRecipe());
        ModelRegistry.Register(info);
        using var net = ModelRegistry.Create("test-srcnn-5", 2);
        Assert.IsType<Srcnn>(net);
        Assert.Throws<ArgumentException>(() => ModelRegistry.Register(info with { Name = "SRCNN" }));
    }
}
