using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Models.Upscaling;

namespace Sr.Cli.Commands;

/// <summary>`sr models [--json]`: every registered network with its paper, scales, colour space and parameter counts.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON list of {name, kind, paper, colorSpace, scales, params: {scale: count}}: kind network (train it), trained (default: ready to use) or method (bicubic)." };
        var command = new Command("models", "List what --model takes: the ready methods (default, bicubic) and the registered networks (paper, scales, colour space, parameters per scale).");
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) output.WriteLine(ToJson(ModelRegistry.All));
            else
            {
                output.WriteLine("ready to use (--model):");
                foreach (var r in ReadyMethods())
                    output.WriteLine($"  {r.Name,-8} {r.ColorSpace,-6} {string.Join(",", r.Scales),-7} {r.Description}");
                output.WriteLine();
                output.WriteLine("networks (train one with `sr train --model <name>`, then pass the .srm file to --model):");
                WriteTable(ModelRegistry.All, output);
                output.WriteLine();
                output.WriteLine($"structure extractors for spsr-p / spsr-j (image → 32 features at ¼ resolution; train with `sr train --model <name> --data <folder> -o <name>.safetensors`), {NseParameters():N0} parameters:");
                foreach (var (name, _, description) in Sr.Models.Spsr.StructureLearning.Extractors) output.WriteLine($"  {name,-8} {description}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Parameter count of each scale's network (built, counted, disposed).</summary>
    public static IReadOnlyDictionary<int, long> ParameterCounts(ModelInfo info)
    {
        var counts = new SortedDictionary<int, long>();
        foreach (var scale in info.Scales)
        {
            using var net = info.Create(scale, null);
            counts[scale] = net.ParameterCount();
        }
        return counts;
    }

    private static long NseParameters()
    {
        using var nse = new Sr.Models.Networks.Spsr.NeuralStructureExtractor();
        return nse.ParameterCount();
    }

    /// <summary>A --model value that works without training: the shipped default model and the bicubic baseline.</summary>
    public sealed record ReadyMethod(string Name, string Kind, string ColorSpace, IReadOnlyList<int> Scales, string Description, IReadOnlyDictionary<int, long> Parameters, string? Network);

    /// <summary>"default" (the shipped rsrnet-sr weights, per scale) and "bicubic" (MATLAB-exact imresize, no parameters).</summary>
    public static IReadOnlyList<ReadyMethod> ReadyMethods()
    {
        var defaultParams = new SortedDictionary<int, long>();
        string? network = null;
        string colour = "Y";
        foreach (var scale in DefaultModel.AvailableScales)
        {
            using var file = ModelFile.Read(DefaultModel.PathFor(scale));
            defaultParams[scale] = file.Weights.Values.Sum(t => t.numel());
            network = file.ModelName;
            colour = file.ColorSpace.ToString();
        }
        return
        [
            new(DefaultModel.Name, "trained", colour, DefaultModel.AvailableScales,
                $"the shipped model: {network ?? "(not installed)"} trained on T91 + BSD200 with bicubic LR (README, Default model)", defaultParams, network),
            new("bicubic", "method", "Y", [2, 3, 4],
                "MATLAB-exact bicubic imresize on Y (bicubic-rgb: on RGB); any integer scale, no parameters", new Dictionary<int, long> { [2] = 0, [3] = 0, [4] = 0 }, null),
        ];
    }

    public static string ToJson(IEnumerable<ModelInfo> models)
    {
        var list = new JsonArray();
        foreach (var r in ReadyMethods())
        {
            var p = new JsonObject();
            foreach (var (scale, count) in r.Parameters) p[scale.ToString(CultureInfo.InvariantCulture)] = count;
            list.Add(new JsonObject
            {
                ["name"] = r.Name,
                ["kind"] = r.Kind,
                ["paper"] = r.Description,
                ["colorSpace"] = r.ColorSpace,
                ["scales"] = new JsonArray(r.Scales.Select(s => (JsonNode)s).ToArray()),
                ["params"] = p,
                ["network"] = r.Network,
            });
        }
        foreach (var m in models)
        {
            var @params = new JsonObject();
            foreach (var (scale, count) in ParameterCounts(m)) @params[scale.ToString(CultureInfo.InvariantCulture)] = count;
            list.Add(new JsonObject
            {
                ["name"] = m.Name,
                ["kind"] = "network",
                ["paper"] = m.Paper,
                ["colorSpace"] = m.ColorSpace.ToString(),
                ["scales"] = new JsonArray(m.Scales.Select(s => (JsonNode)s).ToArray()),
                ["params"] = @params,
            });
        }
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public static void WriteTable(IEnumerable<ModelInfo> models, TextWriter output)
    {
        var rows = models.Select(m => (m, counts: ParameterCounts(m))).ToList();
        output.WriteLine($"{"name",-10} {"colour",-6} {"scales",-7} {"params ×2",10} {"params ×3",10} {"params ×4",10}  paper");
        foreach (var (m, counts) in rows)
        {
            string Count(int s) => counts.TryGetValue(s, out var n) ? n.ToString("N0", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"{m.Name,-10} {m.ColorSpace,-6} {string.Join(",", m.Scales),-7} {Count(2),10} {Count(3),10} {Count(4),10}  {m.Paper}");
        }
    }
}
