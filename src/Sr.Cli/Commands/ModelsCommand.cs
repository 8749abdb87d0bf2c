using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Models.Registry;

namespace Sr.Cli.Commands;

/// <summary>`sr models [--json]`: every registered network with its paper, scales, colour space and parameter counts.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON list of {name, paper, colorSpace, scales, params: {scale: count}}." };
        var command = new Command("models", "List the registered networks: paper, scales, colour space and parameter count per scale.");
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) output.WriteLine(ToJson(ModelRegistry.All));
            else
            {
                WriteTable(ModelRegistry.All, output);
                output.WriteLine();
                output.WriteLine($"structure extractors for spsr-p / spsr-j (image → 32 features at ¼ resolution; train with `sr train --model <name> --data <folder> -o <name>.safetensors`), {NseParameters():N0} parameters:");
                foreach (var (name, _, description) in StructureTraining.Extractors) output.WriteLine($"  {name,-8} {description}");
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

    public static string ToJson(IEnumerable<ModelInfo> models)
    {
        var list = new JsonArray();
        foreach (var m in models)
        {
            var @params = new JsonObject();
            foreach (var (scale, count) in ParameterCounts(m)) @params[scale.ToString(CultureInfo.InvariantCulture)] = count;
            list.Add(new JsonObject
            {
                ["name"] = m.Name,
                ["paper"] = m.Paper,
                ["colorSpace"] = m.ColorSpace.ToString(),
                ["scales"] = new JsonArray(m.Scales.Select(s => (JsonNode)s).ToArray()),
                ["params"] = @params,
            });
        }
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
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
