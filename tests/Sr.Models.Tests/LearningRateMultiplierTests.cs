using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.Models.Tests;

public class LearningRateMultiplierTests
{
    [Fact]
    public void Srcnn_recipe_puts_the_last_layer_in_a_group_at_a_tenth_of_the_rate()
    {
        var info = ModelRegistry.Get("srcnn");
        using var net = info.Create(2, null);
        var recipe = info.RecipeFor(2);
        var groups = Trainer.ParameterGroups(net, recipe);
        Assert.Equal(2, groups.Count);
        Assert.Equal(recipe.LearningRate, groups[0].LearningRate);
        Assert.Equal(recipe.LearningRate * 0.1, groups[1].LearningRate, 12);
        // conv3 of SRCNN 9-1-5: weight 1×32×5×5 and bias 1 (hand count) = the 10×-slower layer.
        Assert.Equal(2, groups[1].Parameters.Count);
        Assert.Equal(32 * 5 * 5 + 1, groups[1].Parameters.Sum(p => p.numel()));
        Assert.Equal(net.ParameterCount(), groups.Sum(g => g.Parameters.Sum(p => p.numel())));
    }

    [Theory]
    [InlineData("rsrnet", "srnet.reconstruct.")]
    [InlineData("rsrnet-sr", "reconstruct.")]
    public void Rsrnet_recipes_slow_down_srnets_final_layer(string model, string prefix)
    {
        var info = ModelRegistry.Get(model);
        foreach (var s in info.Scales)
        {
            using var net = info.Create(s, null);
            var recipe = info.RecipeFor(s);
            Assert.Equal(0.1, recipe.LearningRateMultipliers![prefix]);
            var groups = Trainer.ParameterGroups(net, recipe);
            var slow = net.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.parameter).ToList();
            Assert.Equal(2, groups.Count);
            Assert.Equal(slow.Count, groups[1].Parameters.Count);
            Assert.All(slow, p => Assert.Contains(p, groups[1].Parameters));
        }
    }

    [Fact]
    public void Every_registered_recipe_builds_its_optimizer()
    {
        // A renamed layer would leave a multiplier matching nothing: that is an error, so every recipe is checked here.
        foreach (var info in ModelRegistry.All.Where(m => m.Name is not ("bicubic" or "rrdbnet") && !m.Name.StartsWith("spsr", StringComparison.Ordinal)))
        {
            using var net = info.Create(2, null);
            using var opt = Trainer.CreateOptimizer(net, info.RecipeFor(2));
            Assert.Equal(net.parameters().Count(p => p.requires_grad), opt.parameters().Count());
        }
    }

    [Fact]
    public void A_multiplier_that_matches_no_parameter_is_an_error_naming_it()
    {
        var info = ModelRegistry.Get("srcnn");
        using var net = info.Create(2, null);
        var recipe = info.RecipeFor(2) with { LearningRateMultipliers = new Dictionary<string, double> { ["tail."] = 0.1 } };
        var e = Assert.Throws<ArgumentException>(() => Trainer.ParameterGroups(net, recipe));
        Assert.Contains("'tail.'", e.Message);
    }
}
