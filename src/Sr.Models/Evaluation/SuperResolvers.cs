namespace Sr.Models.Evaluation;

/// <summary>
/// The built-in methods by name: "bicubic" (on Y), "bicubic-y" and "bicubic-rgb". Trained models and model files are
/// <see cref="Upscaling.ModelLoader"/>'s (which falls back to these names).
/// </summary>
public static class SuperResolvers
{
    /// <summary>The built-in method <paramref name="name"/> at <paramref name="scale"/>.</summary>
    public static ISuperResolver Resolve(string name, int scale)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Builtin(name, scale) is { } method)
        {
            if (!method.Scales.Contains(scale))
                throw new ArgumentException($"Model '{name}' does not support scale ×{scale} (it supports {string.Join(", ", method.Scales.Select(s => "×" + s))}).", nameof(scale));
            return method;
        }
        throw new ArgumentException($"Unknown model '{name}': not a registered name or a model file. Built in: bicubic, bicubic-y, bicubic-rgb.", nameof(name));
    }

    private static ISuperResolver? Builtin(string name, int scale) => name.Trim().ToLowerInvariant() switch
    {
        "bicubic" or "bicubic-y" => new BicubicResolver(ColorSpace.Y),
        "bicubic-rgb" => new BicubicResolver(ColorSpace.Rgb),
        _ => null,
    };
}
