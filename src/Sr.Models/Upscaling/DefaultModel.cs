using Sr.Models.Inference;
using Sr.Models.Registry;
using Sr.Models.Training;

namespace Sr.Models.Upscaling;

/// <summary>
/// The default model shipped with SrMlNet: trained weights for ×2, ×3 and ×4 in <c>DefaultModels/default-x{s}.srm</c>
/// beside the assembly (copied from src/Sr.Models/DefaultModels, where the training command, log and seed that made
/// them are kept).
/// </summary>
public static class DefaultModel
{
    public const string Name = "default";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "DefaultModels");

    public static string PathFor(int scale) => Path.Combine(Directory, $"default-x{scale}{ModelFile.Extension}");

    public static IReadOnlyList<int> AvailableScales =>
        [.. new[] { 2, 3, 4 }.Where(s => File.Exists(PathFor(s)))];

    /// <summary>The default network for <paramref name="scale"/>, ready to upscale.</summary>
    public static NetworkSuperResolver Load(int scale, InferenceOptions? options = null)
    {
        var path = PathFor(scale);
        if (!File.Exists(path))
        {
            var have = AvailableScales;
            throw new ArgumentException(have.Count == 0
                ? $"No default model is installed ({path} is missing)."
                : $"The default model has no ×{scale} weights (available: {string.Join(", ", have.Select(s => "×" + s))}).", nameof(scale));
        }
        return ModelLoader.LoadFile(path, scale, options, displayName: Name);
    }
}
