using Sr.Models.Upscaling;

namespace Sr.Cli.Commands;

/// <summary>
/// The scale of a command that runs models: a model file was trained for one scale, so that scale is the default
/// (`sr upscale x.png -m default-x3.srm` is ×3 without --scale); "default", bicubic and other built-ins default to ×2.
/// </summary>
internal static class ScaleOption
{
    public const int Fallback = Sr.Models.SrDefaults.Scale;

    /// <summary>The scale to use, or null after writing an error naming the file (unreadable model file).</summary>
    public static int? Resolve(int? requested, string modelSpec, TextWriter stderr) => Resolve(requested, [modelSpec], stderr);

    /// <summary>
    /// For several models (compare): the given scale, else the one scale their files hold; files of different scales
    /// without --scale are an error naming them.
    /// </summary>
    public static int? Resolve(int? requested, IReadOnlyList<string> modelSpecs, TextWriter stderr)
    {
        if (requested is int given) return given;
        var held = new List<(string spec, int scale)>();
        foreach (var spec in modelSpecs)
        {
            try
            {
                if (ModelLoader.ScaleOf(spec) is int s) held.Add((spec, s));
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or Sr.Torch.Serialization.WeightsFormatException)
            {
                stderr.WriteLine(CliErrors.ModelError(spec, e));
                return null;
            }
        }
        var scales = held.Select(h => h.scale).Distinct().ToList();
        if (scales.Count > 1)
        {
            stderr.WriteLine($"error: the model files hold different scales ({string.Join(", ", held.Select(h => $"{h.spec} ×{h.scale}"))}): give --scale, or models of one scale.");
            return null;
        }
        return scales.Count == 1 ? scales[0] : Fallback;
    }
}
