using System.Text.Json.Nodes;
using Sr.Models.Networks;

namespace Sr.Models.Registry;

/// <summary>
/// One registered method: a short name → a network factory, the paper, the colour space, the scales and the
/// paper's default training recipe. Options are JSON, so an experiment is reproducible from its options file.
/// </summary>
public sealed record ModelInfo(
    string Name,
    string Paper,
    ColorSpace ColorSpace,
    IReadOnlyList<int> Scales,
    Func<int, JsonObject?, SrNetwork> Create,
    TrainingRecipe Recipe)
{
    /// <summary>One line on what the network is (for `sr models`).</summary>
    public string Description { get; init; } = "";

    /// <summary>
    /// The record the factory binds its JSON options to (property names, case-insensitive; unknown names are an
    /// error). Its defaults are the paper's. Null when the factory takes no options.
    /// </summary>
    public Type? OptionsType { get; init; }

    /// <summary>Per-scale recipe where the paper's differs by scale (patch sizes); null = <see cref="Recipe"/> for every scale.</summary>
    public Func<int, TrainingRecipe>? RecipeByScale { get; init; }

    /// <summary>How the network trains (which step the shared loop runs): its objective by default, SPSR's GAN for spsr-g/-p/-j.</summary>
    public TrainingMethod Training { get; init; } = TrainingMethod.Objective;

    /// <summary>
    /// A registry model whose weights may start this one partially (matching names and shapes; SPSR from its RRDBNet
    /// backbone), or null: then only a model of the same family initialises it.
    /// </summary>
    public string? InitializesFrom { get; init; }

    /// <summary>The recipe for one scale.</summary>
    public TrainingRecipe RecipeFor(int scale) => RecipeByScale?.Invoke(scale) ?? Recipe;
}
