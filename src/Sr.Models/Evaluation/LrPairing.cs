using System.Globalization;
using System.Text.RegularExpressions;

namespace Sr.Models.Evaluation;

/// <summary>
/// Finds the pre-made LR file of an HR image in a folder of LR files. Without a pattern it tries, in order, BasicSR/SwinIR's
/// <c>{stem}x{s}</c> (<c>babyx2.png</c>) and the HR file's own stem (<c>baby.png</c>), with any image extension. A pattern
/// names the file with the tokens <c>{stem}</c> (HR file name without extension), <c>{s}</c> (the scale) and <c>{index}</c>
/// (the HR file's 1-based position in name order; <c>{index:000}</c> pads it), e.g. SelfExSR's <c>img_{index:000}_SRF_{s}_LR.png</c>.
/// A pattern without an extension matches any image extension.
/// </summary>
public sealed partial class LrPairing
{
    /// <summary>The patterns tried when none is given.</summary>
    public static IReadOnlyList<string> DefaultPatterns { get; } = ["{stem}x{s}", "{stem}"];

    private readonly Dictionary<string, string> _byName;
    private readonly Dictionary<string, string> _byStem;

    /// <summary>Pairs with the files directly in <paramref name="folder"/>; <paramref name="pattern"/> null = <see cref="DefaultPatterns"/>.</summary>
    public LrPairing(string folder, string? pattern = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such LR folder.");
        if (pattern is not null)
        {
            if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("--lr-pattern is empty; write e.g. {stem}x{s}.png or img_{index:000}_SRF_{s}_LR.png.");
            var unknown = TokenRegex().Matches(pattern).Select(m => m.Groups[1].Value).Where(t => t is not ("stem" or "s" or "index")).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"--lr-pattern {pattern}: unknown token(s) {string.Join(", ", unknown.Select(t => "{" + t + "}"))}; the tokens are {{stem}}, {{s}} and {{index}} (or {{index:000}}).");
            if (pattern.Contains('/') || pattern.Contains('\\')) throw new ArgumentException($"--lr-pattern {pattern}: a file name in the LR folder, without folders.");
        }
        Folder = folder;
        Patterns = pattern is null ? DefaultPatterns : [pattern];
        var files = Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).OrderBy(f => f, StringComparer.Ordinal).ToList();
        _byName = files.ToDictionary(f => Path.GetFileName(f), f => f, StringComparer.Ordinal);
        _byStem = [];
        foreach (var f in files) _byStem.TryAdd(Path.GetFileNameWithoutExtension(f), f);
    }

    /// <summary>The LR folder.</summary>
    public string Folder { get; }

    /// <summary>The patterns tried, in order.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>The LR file of <paramref name="hrPath"/> (the <paramref name="index"/>-th HR file, 0-based), or null and the names looked for.</summary>
    public (string? Path, string LookedFor) Find(string hrPath, int index, int scale)
    {
        var names = Patterns.Select(p => Expand(p, Path.GetFileNameWithoutExtension(hrPath), index, scale)).ToList();
        foreach (var name in names)
        {
            if (Path.HasExtension(name) && _byName.TryGetValue(name, out var exact)) return (exact, name);
            if (_byStem.TryGetValue(name, out var any)) return (any, name);
        }
        return (null, string.Join(" or ", names.Select(n => Path.HasExtension(n) ? n : n + ".*")));
    }

    /// <summary>A pattern with its tokens filled in.</summary>
    public static string Expand(string pattern, string stem, int index, int scale) =>
        TokenRegex().Replace(pattern, m => m.Groups[1].Value switch
        {
            "stem" => stem,
            "s" => scale.ToString(CultureInfo.InvariantCulture),
            "index" => (index + 1).ToString(m.Groups[2].Success ? m.Groups[2].Value : "0", CultureInfo.InvariantCulture),
            _ => m.Value,
        });

    [GeneratedRegex(@"\{([a-z]+)(?::([0#]+))?\}")]
    private static partial Regex TokenRegex();
}
