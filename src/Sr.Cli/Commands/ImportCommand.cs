using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.Serialization;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr import &lt;weights.pth|.pt|.safetensors&gt; --model &lt;name&gt; --scale s [--options json] [--map old=new …] -o m.srm`:
/// published weights as an SrMlNet model file. The state dict is read by the restricted unpickler (tensors and plain
/// containers only) or the safetensors reader, mapped by name and shape (<see cref="StateDictImport"/>), and refused with the
/// list of what does not match.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("weights") { Description = "A PyTorch state dict (.pth/.pt; a checkpoint's params_ema/params/state_dict is found) or a .safetensors file." };
        var model = new Option<string>("--model", "-m") { Description = "The registered network the weights are for (see `sr models`).", Required = true };
        var scale = new Option<int?>("--scale", "-s") { Description = "The scale the weights were trained for (default: the network's only scale)." };
        var options = new Option<string?>("--options") { Description = "Network options (sizes) as JSON or @file.json, when the file's network is not the paper's size." };
        var map = new Option<string[]>("--map") { Description = "Rename source tensors: old=new (prefix) or with * wildcards ('body.*.conv.*=trunk.*.0.*'); repeatable, applied in order.", AllowMultipleArgumentsPerToken = false };
        var key = new Option<string?>("--key") { Description = "The entry of a checkpoint that holds the state dict (default: the file itself, else params_ema, params, state_dict, …)." };
        var output = new Option<string>("--output", "-o") { Description = "The SrMlNet model file to write (.srm).", Required = true };
        var cmd = new Command("import", "Import published weights (.pth, .pt, .safetensors) into a model file, mapped by name and shape.") { input, model, scale, options, map, key, output };
        cmd.SetAction(parse => Run(parse.GetValue(input)!, parse.GetValue(model)!, parse.GetValue(scale), parse.GetValue(options), parse.GetValue(map) ?? [],
            parse.GetValue(key), parse.GetValue(output)!, Console.Out, Console.Error));
        return cmd;
    }

    internal static int Run(string input, string modelName, int? scale, string? optionsText, string[] maps, string? key, string output, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (!File.Exists(input)) throw new FileNotFoundException($"{input}: no such weights file.", input);
            var info = ModelRegistry.Get(modelName);
            int s = scale ?? (info.Scales.Count == 1 ? info.Scales[0]
                : throw new ArgumentException($"--scale is needed: {info.Name} comes in {string.Join(", ", info.Scales.Select(x => "×" + x))}; give the scale the weights were trained for."));
            if (!info.Scales.Contains(s)) throw new ArgumentException($"--scale {s}: {info.Name} supports {string.Join(", ", info.Scales.Select(x => "×" + x))}.");
            var text = optionsText is { } o && o.StartsWith('@') ? File.ReadAllText(o[1..]) : optionsText;
            var json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the options must be a JSON object");
            var renames = maps.Select(StateDictImport.Rename.Parse).ToList();

            var source = Path.GetExtension(input).Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? Safetensors.LoadStateDict(input)
                : PyTorchUnpickler.UnpickleStateDict(input, key);
            try
            {
                ModelLimits.Check(info.Name, s, json);
                using var network = info.Create(s, json);
                var mapped = StateDictImport.Map(source, network, renames, input, out var applied);
                var (missing, unexpected) = network.load_state_dict(mapped, strict: false);
                if (unexpected.Count > 0 || missing.Any(m => !m.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
                    throw new InvalidOperationException($"{input}: load_state_dict left {string.Join(", ", missing.Concat(unexpected))} unmatched after the mapping checked them.");
                foreach (var (name, t) in network.state_dict())
                {
                    using var finite = t.isfinite().all();
                    if (!finite.item<bool>()) throw new ArgumentException($"{input}: tensor {name} holds NaN or infinite values; refusing to write a model that cannot upscale.");
                }
                var facts = new Dictionary<string, string>
                {
                    ["imported_from"] = Path.GetFullPath(input),
                    ["imported_sha256"] = ModelFileInfo.HashFile(input),
                    ["imported_tensors"] = mapped.Count.ToString(CultureInfo.InvariantCulture),
                    ["imported_renames"] = string.Join(" ", applied.Select(r => r.ToString())),
                };
                ModelFile.Save(output, network, info.Name, json, facts);
                stdout.WriteLine($"{input} → {output}: {info.Name} ×{s}, {mapped.Count} tensors ({network.ParameterCount():N0} parameters) mapped by name and shape");
                return 0;
            }
            finally
            {
                foreach (var t in source.Values) t.Dispose();
            }
        }
        catch (StateDictMappingException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or IOException or JsonException or WeightsFormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + CliErrors.Describe(e));
            return 2;
        }
    }
}
