using System.Globalization;
using System.Text.RegularExpressions;

namespace Sr.MLNet.Mappings;

/// <summary>
/// A step's settings as one text value (<c>scale=3;kind=bicubic;seed=1</c>). ML.NET's <c>CustomMapping</c> cannot save settings,
/// so a step writes them into a constant column with ML.NET's own saveable <c>Expression</c> transform, and its mapping reads
/// that column. Values are restricted to a plain alphabet, so the expression's string literal needs no escaping.
/// </summary>
internal static partial class StepConfig
{
    [GeneratedRegex(@"^[A-Za-z0-9_.:+\-]*$")]
    private static partial Regex Plain();

    public static string Format(params (string key, object value)[] settings)
    {
        var parts = new List<string>();
        foreach (var (key, value) in settings)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            if (!Plain().IsMatch(key) || !Plain().IsMatch(text))
                throw new ArgumentException($"Setting {key} = '{text}' has characters a saved step cannot hold (letters, digits and _ . : + - only).");
            parts.Add($"{key}={text}");
        }
        return string.Join(";", parts);
    }

    public static IReadOnlyDictionary<string, string> Parse(string config)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in config.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new InvalidDataException($"SrMlNet step settings '{config}' are malformed (expected key=value pairs).");
            result[part[..eq]] = part[(eq + 1)..];
        }
        return result;
    }

    public static int Int(IReadOnlyDictionary<string, string> settings, string key, string config) =>
        settings.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i : throw new InvalidDataException($"SrMlNet step settings '{config}' have no integer '{key}'.");

    public static string Text(IReadOnlyDictionary<string, string> settings, string key, string config) =>
        settings.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"SrMlNet step settings '{config}' have no '{key}'.");
}
