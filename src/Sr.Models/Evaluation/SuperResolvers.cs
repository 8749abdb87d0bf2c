namespace Sr.Models.Evaluation;

/// <summary>
/// The seam that turns a --model argument into a method: a list of resolvers, each returning a method for the names it
/// knows (or null). "bicubic" (on Y), "bicubic-y" and "bicubic-rgb" are built in; the network registry and model files
/// add theirs with <see cref="Register"/>, so the evaluator and the CLI need no change.
/// </summary>
public static class SuperResolvers
{
    private static readonly object Gate = new();
    private static Func<string, int, ISuperResolver?>[] _resolvers = [Builtin];

    public static void Register(Func<string, int, ISuperResolver?> resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        lock (Gate) _resolvers = [resolver, .. _resolvers];
    }

    /// <summary>The method for <paramref name="name"/> at <paramref name="scale"/>; the latest registered resolver wins.</summary>
    public static ISuperResolver Resolve(string name, int scale)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var r in _resolvers)
            if (r(name, scale) is { } method)
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
