using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Models.Registry;
using Sr.Models.Upscaling;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr info &lt;model&gt; [--json]`: what a --model value is — network, scale, colour space, options, training provenance and
/// SHA-256 for a model file (.srm, .onnx, .zip); the per-scale files for "default"; the method for "bicubic"; the paper, scales
/// and recipe for a registry name. The version of SrMlNet itself is `sr --version`.
/// </summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("model") { Description = "A model file (.srm, .onnx, .zip), 'default', 'bicubic' or a network name.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print it as JSON (camelCase keys)." };
        var cmd = new Command("info", "Describe a model: network, scale, options, training provenance and SHA-256 of a model file (SrMlNet's own version: sr --version).") { model, json };
        cmd.SetAction(parse =>
        {
            var spec = parse.GetValue(model);
            if (spec is null)
            {
                Console.Error.WriteLine("error: sr info <model>: give a model file (.srm, .onnx, .zip), 'default', 'bicubic' or a network name; SrMlNet's version is `sr --version`.");
                return 2;
            }
            JsonObject described;
            try
            {
                described = Describe(spec);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or Sr.Torch.Serialization.WeightsFormatException)
            {
                Console.Error.WriteLine($"error: {CliErrors.Describe(e)}");
                return 2;
            }
            Console.WriteLine(parse.GetValue(json) ? described.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) : ToText(described));
            return 0;
        });
        return cmd;
    }

    /// <summary>The description as a JSON object with camelCase keys (the stored training facts' snake_case keys converted too).</summary>
    public static JsonObject Describe(string spec)
    {
        if (File.Exists(spec)) return Describe(ModelLoader.Inspect(spec));
        if (string.Equals(spec, DefaultModel.Name, StringComparison.OrdinalIgnoreCase))
        {
            var files = new JsonArray();
            foreach (var s in DefaultModel.AvailableScales) files.Add(Describe(ModelLoader.Inspect(DefaultModel.PathFor(s))));
            return new JsonObject { ["name"] = DefaultModel.Name, ["kind"] = "trained", ["scales"] = Ints(DefaultModel.AvailableScales), ["files"] = files };
        }
        if (spec.Trim().ToLowerInvariant() is "bicubic" or "bicubic-y" or "bicubic-rgb")
            return new JsonObject
            {
                ["name"] = spec, ["kind"] = "method", ["colorSpace"] = spec.EndsWith("rgb", StringComparison.OrdinalIgnoreCase) ? "Rgb" : "Y",
                ["description"] = "MATLAB-exact imresize(lr, s, 'bicubic'): a = -0.5, symmetric border; any integer scale; no parameters",
            };
        if (ModelRegistry.TryGet(spec, out var info))
        {
            var recipe = info.RecipeFor(info.Scales[0]);
            return new JsonObject
            {
                ["name"] = info.Name, ["kind"] = "network", ["paper"] = info.Paper, ["description"] = info.Description,
                ["colorSpace"] = info.ColorSpace.ToString(), ["scales"] = Ints(info.Scales),
                ["params"] = new JsonObject(ModelsCommand.ParameterCounts(info).Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value))),
                ["recipe"] = JsonSerializer.SerializeToNode(recipe, JsonSerializerOptions.Web),
                ["note"] = $"an architecture, not weights: train it with `sr train --model {info.Name} --data <folder> -o {info.Name}.srm`",
            };
        }
        throw new ArgumentException($"{spec}: not a model file, 'default', 'bicubic' or a registered network (see `sr models`).");
    }

    private static JsonObject Describe(ModelFileInfo file)
    {
        var facts = new JsonObject();
        foreach (var (key, value) in file.Facts.OrderBy(f => f.Key, StringComparer.Ordinal)) facts[CamelCase(key)] = value;
        return new JsonObject
        {
            ["path"] = Path.GetFullPath(file.Path),
            ["kind"] = file.Kind,
            ["network"] = file.ModelName,
            ["scale"] = file.Scale,
            ["colorSpace"] = file.ColorSpace.ToString(),
            ["options"] = file.Options?.DeepClone(),
            ["training"] = facts,
            ["sha256"] = file.Sha256,
            ["bytes"] = new FileInfo(file.Path).Length,
        };
    }

    /// <summary>"training_minutes" → "trainingMinutes": one key convention for every JSON the CLI prints.</summary>
    public static string CamelCase(string key)
    {
        var sb = new StringBuilder(key.Length);
        bool upper = false;
        foreach (var c in key)
        {
            if (c is '_' or '-' or ' ') { upper = sb.Length > 0; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : sb.Length == 0 ? char.ToLowerInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());

    /// <summary>"key: value" lines, nested objects indented; the text form of <see cref="Describe(string)"/>.</summary>
    private static string ToText(JsonObject o, string indent = "")
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in o)
        {
            switch (value)
            {
                case null:
                    sb.AppendLine($"{indent}{key}: -");
                    break;
                case JsonObject inner when key == "options":
                    sb.AppendLine($"{indent}{key}: {inner.ToJsonString()}");
                    break;
                case JsonObject inner:
                    sb.AppendLine($"{indent}{key}:");
                    sb.Append(ToText(inner, indent + "  "));
                    break;
                case JsonArray array when array.All(a => a is JsonObject):
                    foreach (var item in array)
                    {
                        sb.AppendLine($"{indent}{key}:");
                        sb.Append(ToText((JsonObject)item!, indent + "  "));
                    }
                    break;
                case JsonArray array:
                    sb.AppendLine($"{indent}{key}: {string.Join(", ", array.Select(a => a?.ToString()))}");
                    break;
                default:
                    sb.AppendLine($"{indent}{key}: {value}");
                    break;
            }
        }
        return sb.ToString();
    }
}
