using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Cli.Progress;
using Sr.Models.Imaging;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr train --model &lt;name&gt; --scale &lt;s&gt; --data &lt;folder&gt; [--val &lt;folder&gt;] [--minutes m | --steps n] … -o &lt;model.srm&gt;`:
/// trains a registered network with its paper's recipe (any field overridable), shows a live progress bar, keeps a
/// checkpoint (&lt;model&gt;.ckpt), a log (&lt;model&gt;.log.csv) and a picture of the curves (&lt;model&gt;.curves.png) up to date,
/// and writes the SrMlNet model file. Ctrl-C writes a checkpoint and exits with 130; `--resume` continues exactly.
/// </summary>
public static class TrainCommand
{
    public const int ExitDiverged = 3, ExitCancelled = 130, ExitUsage = 2;

    public static Command Create(Func<string, ModelInfo> models, Func<string, IDegradation> degradations)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(degradations);
        var model = new Option<string?>("--model", "-m") { Description = "Registered network to train (see `sr models`)." };
        var scale = new Option<int?>("--scale", "-s") { Description = "Upscaling factor (2, 3 or 4). Default 2." };
        var data = new Option<string?>("--data") { Description = "Folder of HR training images (e.g. ../shared/data/T91)." };
        var val = new Option<string?>("--val") { Description = "Folder of validation images (the first --val-images of them, sorted by name)." };
        var valImages = new Option<int>("--val-images") { Description = "How many validation images to use.", DefaultValueFactory = _ => 5 };
        var validateEvery = new Option<int>("--validate-every") { Description = "Validate every N steps (and at the end).", DefaultValueFactory = _ => 200 };
        var minutes = new Option<double?>("--minutes") { Description = "Wall-clock budget in minutes (validation and checkpoints included)." };
        var steps = new Option<long?>("--steps") { Description = "Stop after this many steps in total (counting steps before a resume). Without --minutes/--steps: the paper's step count." };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default: the paper's)." };
        var patch = new Option<int?>("--patch") { Description = "HR patch size in pixels (default: the paper's; rounded down to a multiple of the scale)." };
        var lr = new Option<double?>("--lr") { Description = "Initial learning rate (default: the paper's)." };
        var seed = new Option<long?>("--seed") { Description = "Seed of the initial weights, the patch stream and every step. Default 1." };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint exactly; model, scale, data and sampling default to the checkpoint's." };
        var degradation = new Option<string?>("--degradation") { Description = $"How LR images are made from HR: {string.Join(", ", Degradations.Examples)}. Default bicubic (MATLAB imresize)." };
        var options = new Option<string?>("--options") { Description = "Network options as JSON text or @file.json (see the network's options record)." };
        var redegrade = new Option<bool>("--redegrade-each-epoch") { Description = "Degrade the images again every epoch with a new seed (for random degradations such as noise)." };
        var output = new Option<string?>("--output", "-o") { Description = "The SrMlNet model file to write (.srm)." };
        var cmd = new Command("train", "Train a network on a folder of images with its paper's recipe, with checkpoints, curves and exact resume.")
        {
            model, scale, data, val, valImages, validateEvery, minutes, steps, batch, patch, lr, seed, resume, degradation, options, redegrade, output,
        };
        cmd.SetAction(parse =>
        {
            var a = new Arguments(parse.GetValue(model), parse.GetValue(scale), parse.GetValue(data), parse.GetValue(val), parse.GetValue(valImages),
                parse.GetValue(validateEvery), parse.GetValue(minutes), parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(patch),
                parse.GetValue(lr), parse.GetValue(seed), parse.GetValue(resume), parse.GetValue(degradation), parse.GetValue(options),
                parse.GetValue(redegrade), parse.GetValue(output));
            return Run(a, models, degradations, Console.Out, Console.Error);
        });
        return cmd;
    }

    internal sealed record Arguments(string? Model, int? Scale, string? Data, string? Val, int ValImages, int ValidateEvery, double? Minutes, long? Steps,
        int? Batch, int? Patch, double? LearningRate, long? Seed, string? Resume, string? Degradation, string? Options, bool Redegrade, string? Output);

    /// <summary>The recipe the registry gives for this scale (the networks branch adds per-scale recipes to ModelInfo).</summary>
    private static TrainingRecipe RecipeFor(ModelInfo info, int scale) => info.Recipe;

    internal static int Run(Arguments a, Func<string, ModelInfo> models, Func<string, IDegradation> degradations, TextWriter stdout, TextWriter stderr)
    {
        // A resumed run takes its settings from the checkpoint unless told otherwise (then it is no longer exact: say so).
        Dictionary<string, string> stored = [];
        if (a.Resume is { } resumePath)
        {
            using var ckpt = Checkpoint.Load(resumePath);
            stored = ckpt.Metadata.ToDictionary(p => p.Key, p => p.Value);
        }
        string? Stored(string key) => stored.TryGetValue(key, out var v) ? v : null;
        var warnings = new List<string>();
        T Pick<T>(T? given, string key, Func<string, T> parse, T fallback) where T : struct
        {
            var s = Stored(key);
            if (s is null) return given ?? fallback;
            var fromCheckpoint = parse(s);
            if (given is T g && !EqualityComparer<T>.Default.Equals(g, fromCheckpoint))
            {
                warnings.Add($"--{key} {g} differs from the checkpoint's {fromCheckpoint}: the resumed run will not equal an uninterrupted one.");
                return g;
            }
            return fromCheckpoint;
        }
        string? PickText(string? given, string key)
        {
            var s = Stored(key);
            if (given is not null && s is not null && given != s) warnings.Add($"--{key} {given} differs from the checkpoint's {s}: the resumed run will not equal an uninterrupted one.");
            return given ?? s;
        }
        static int ParseInt(string s) => int.Parse(s, CultureInfo.InvariantCulture);
        static long ParseLong(string s) => long.Parse(s, CultureInfo.InvariantCulture);

        var modelName = PickText(a.Model, "model");
        var dataFolder = PickText(a.Data, "data");
        if (modelName is null || dataFolder is null || a.Output is null)
        {
            stderr.WriteLine("error: sr train needs --model <name>, --data <folder> and -o <model file> (or --resume <checkpoint> for the first two).");
            return ExitUsage;
        }
        if (a.Minutes is <= 0 || a.Steps is <= 0 || a.Batch is <= 0 || a.Patch is <= 0 || a.LearningRate is <= 0 || a.ValImages <= 0 || a.ValidateEvery < 0)
        {
            stderr.WriteLine("error: --minutes, --steps, --batch, --patch, --lr and --val-images must be positive (and --validate-every not negative).");
            return ExitUsage;
        }
        var info = models(modelName);
        int s = Pick(a.Scale, "scale", ParseInt, 2);
        if (!info.Scales.Contains(s))
        {
            stderr.WriteLine($"error: --scale {s}: model '{info.Name}' supports scales {string.Join(", ", info.Scales)}.");
            return ExitUsage;
        }
        var degradationName = PickText(a.Degradation, "degradation") ?? "bicubic";
        var degradation = degradations(degradationName);
        var optionsText = PickText(a.Options is { } o && o.StartsWith('@') ? File.ReadAllText(o[1..]) : a.Options, "options");
        JsonObject? networkOptions;
        try
        {
            networkOptions = string.IsNullOrWhiteSpace(optionsText) ? null : JsonNode.Parse(optionsText) as JsonObject
                ?? throw new JsonException("the options must be a JSON object");
        }
        catch (JsonException e)
        {
            stderr.WriteLine($"error: --options: not valid JSON ({e.Message}).");
            return ExitUsage;
        }
        if (networkOptions is { Count: 0 }) networkOptions = null;
        long seedValue = Pick(a.Seed, "sampler_seed", ParseLong, 1);
        var recipe = RecipeFor(info, s);
        recipe = recipe with
        {
            BatchSize = Pick(a.Batch, "batch", ParseInt, recipe.BatchSize),
            HrPatchSize = Pick(a.Patch, "patch", ParseInt, recipe.HrPatchSize),
            LearningRate = Pick(a.LearningRate, "lr", v => double.Parse(v, CultureInfo.InvariantCulture), recipe.LearningRate),
        };
        foreach (var w in warnings) stderr.WriteLine("warning: " + w);

        var output = Path.GetFullPath(a.Output);
        var stem = Path.Combine(Path.GetDirectoryName(output)!, Path.GetFileNameWithoutExtension(output));
        var checkpointPath = stem + ".ckpt";

        torch.manual_seed((ulong)seedValue);
        using var network = info.Create(s, networkOptions);
        var sampler = PatchSampler.FromFolder(dataFolder, s, info.ColorSpace, degradation,
            new PatchSamplerOptions { BatchSize = recipe.BatchSize, HrPatchSize = recipe.HrPatchSize, Augment = recipe.Augment, Seed = seedValue, RedegradeEachEpoch = a.Redegrade });
        foreach (var skipped in sampler.Skipped) stderr.WriteLine($"warning: skipped {skipped}");
        using var validation = a.Val is null ? null : ValidationSet.FromFolder(a.Val, s, degradation, a.ValImages);

        var metadata = new Dictionary<string, string>
        {
            ["model"] = info.Name,
            ["scale"] = s.ToString(CultureInfo.InvariantCulture),
            ["options"] = networkOptions?.ToJsonString() ?? "",
            ["degradation"] = degradationName,
            ["data"] = dataFolder,
            ["batch"] = recipe.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["patch"] = recipe.HrPatchSize.ToString(CultureInfo.InvariantCulture),
            ["lr"] = recipe.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        };
        long? maxSteps = a.Steps ?? (a.Minutes is null ? recipe.Steps : null);
        var trainingOptions = new TrainingOptions
        {
            Recipe = recipe,
            MaxSteps = maxSteps,
            MaxDuration = a.Minutes is double m ? TimeSpan.FromMinutes(m) : null,
            Seed = seedValue,
            ValidateEvery = validation is null ? 0 : a.ValidateEvery,
            Validate = validation is null ? null : validation.Evaluate,
            CheckpointPath = checkpointPath,
            ResumeFrom = a.Resume,
            CheckpointMetadata = metadata,
            LogCsvPath = stem + ".log.csv",
            CurvesPngPath = stem + ".curves.png",
        };

        stdout.WriteLine($"training {info.Name} ×{s} ({network.ParameterCount():N0} parameters, {info.ColorSpace}) on {sampler.ImageCount} images of {dataFolder}, " +
            $"degradation {degradation.Name}; {recipe.Optimizer} lr {recipe.LearningRate:G3}, {recipe.Loss}, batch {recipe.BatchSize}, HR patch {sampler.HrPatchSize}, seed {seedValue}; " +
            $"{torch.get_num_threads()} threads" + (a.Resume is null ? "" : $"; resuming from {a.Resume}"));
        stdout.WriteLine($"checkpoint {checkpointPath}; curves {trainingOptions.CurvesPngPath}; log {trainingOptions.LogCsvPath}");

        using var bar = new ConsoleProgressBar(stdout, live: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        using var cts = new CancellationTokenSource();
        bool interrupted = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupted) return; // a second Ctrl-C ends the process at once
            interrupted = true;
            e.Cancel = true;
            cts.Cancel();
            bar.WriteLine("interrupt: finishing the current step and writing a checkpoint … (Ctrl-C again to abort at once)");
        };
        Console.CancelKeyPress += onCancel;
        TrainingResult result;
        try
        {
            var progress = new Reporter(p =>
            {
                var text = Status(p);
                if (p.Event == "validate" && p.LastValidation is { } v) bar.WriteLine($"step {p.Step}: validation PSNR {v.Psnr:F2} dB ({v.Protocol})");
                bar.Update(p.Fraction, text);
            });
            result = new Trainer(network, sampler, trainingOptions).Run(progress, cts.Token);
        }
        catch (TrainingDivergedException e)
        {
            bar.Dispose();
            stderr.WriteLine("error: " + e.Message);
            return ExitDiverged;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        bar.Complete(1, $"step {result.Step}, loss {result.LastLoss:G4}" + (result.LastValidation is { } lv ? $", validation {lv.Psnr:F2} dB" : "") + $", {result.Elapsed.TotalMinutes:F1} min");
        if (result.StopReason == TrainingStopReason.Cancelled)
        {
            stderr.WriteLine($"cancelled at step {result.Step}; checkpoint {checkpointPath}. Continue with: sr train --resume {checkpointPath} -o {a.Output}" +
                (a.Steps is long st ? $" --steps {st}" : "") + (a.Minutes is double mm ? $" --minutes {mm.ToString(CultureInfo.InvariantCulture)}" : ""));
            return ExitCancelled;
        }
        var facts = new Dictionary<string, string>(metadata)
        {
            ["steps"] = result.Step.ToString(CultureInfo.InvariantCulture),
            ["seed"] = seedValue.ToString(CultureInfo.InvariantCulture),
            ["training_minutes"] = (result.Elapsed.TotalMinutes).ToString("F2", CultureInfo.InvariantCulture),
            ["threads"] = torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
            ["final_loss"] = result.LastLoss.ToString("G6", CultureInfo.InvariantCulture),
        };
        facts.Remove("options");
        if (result.LastValidation is { } last)
        {
            facts["val_psnr"] = last.Psnr.ToString("F4", CultureInfo.InvariantCulture);
            facts["val_protocol"] = last.Protocol;
        }
        ModelFile.Save(output, network, info.Name, networkOptions, facts);
        stdout.WriteLine($"wrote {output} ({result.StopReason switch { TrainingStopReason.StepsReached => "step bound reached", TrainingStopReason.TimeBudgetSpent => "time budget spent", _ => "stopped" }})");
        return 0;
    }

    private static string Status(TrainingProgress p)
    {
        var parts = new List<string>
        {
            p.MaxSteps is long m ? $"step {p.Step}/{m}" : $"step {p.Step}",
            $"loss {p.Loss:G4}",
            $"{p.StepsPerSecond:F2} step/s",
            $"lr {p.LearningRate:G3}",
        };
        if (p.LastValidation is { } v) parts.Add($"val {v.Psnr:F2} dB");
        if (p.Budget is { } b) parts.Add($"{Clock(p.Elapsed)}/{Clock(b)}");
        return string.Join("  ", parts);
    }

    private static string Clock(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";

    private sealed class Reporter(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }
}
