using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Cli.Progress;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr train --model nse-p|nse-j --data &lt;folder&gt; [--val &lt;folder&gt;] [--steps n | --minutes m] … -o nse.safetensors`:
/// trains SPSR-P's or SPSR-J's neural structure extractor by its self-supervised task (contrastive prediction or jigsaw
/// puzzles, <see cref="StructureLearning"/>) on RGB patches of a folder, reports top-1 accuracy on held-out patches of
/// <c>--val</c> against chance (the papers' Fig. 15 measurement), and writes the extractor's weights as safetensors —
/// the file <c>--spsr '{"StructureExtractorPath": …}'</c> of an spsr-p / spsr-j run reads.
/// </summary>
internal static class StructureTraining
{
    public static int Run(StructureExtractorInfo extractor, TrainCommand.Arguments a, TextWriter stdout, TextWriter stderr)
    {
        if (Options(extractor, a, stderr) is not { } options) return TrainCommand.ExitUsage;
        var train = StructureLearning.ReadFolder(a.Data!);
        var heldOut = a.Val is null ? [] : StructureLearning.ReadFolder(a.Val).Take(a.ValImages).ToList();
        try
        {
            // The paper's 400 px patches fit no BSD200/T91 image: say which --patch would work instead of failing deep inside.
            if (train.Count > 0 && !train.Any(i => i.size(1) >= options.PatchSize && i.size(2) >= options.PatchSize))
            {
                long side = train.Max(i => Math.Min(i.size(1), i.size(2)));
                stderr.WriteLine($"error: {a.Data}: no training image is at least {options.PatchSize}×{options.PatchSize} (the patch size{(a.Patch is null ? " of the paper" : "")}); " +
                    $"the largest fits {side}×{side} patches: add --patch {Math.Min(96, side)} (or any size up to {side}).");
                return TrainCommand.ExitUsage;
            }
            bool jigsaw = extractor.Task == StructureLearningTask.Jigsaw;
            stdout.WriteLine($"training {extractor.Name} ({options.Task}{(jigsaw ? "" : $", {options.Sampling} sampling, τ {options.Tau:G}")}) on {train.Count} images of {a.Data}: " +
                $"Adam lr {options.LearningRate:G3}, batch {options.BatchSize} × {options.PatchSize}² RGB patches, {options.SamplesPerMap} {(jigsaw ? "puzzles" : "targets")} per map, seed {options.Seed}; " +
                (a.Minutes is double mm ? $"{mm.ToString(CultureInfo.InvariantCulture)} min" : $"{options.Steps} steps") + $"; {torch.get_num_threads()} threads");
            return Train(extractor, options, train, heldOut, a, stdout, stderr);
        }
        finally
        {
            foreach (var t in train.Concat(heldOut)) t.Dispose();
        }
    }

    /// <summary>The task's settings: the paper's, the --options JSON over them, then the flags; null after a usage error.</summary>
    private static StructureLearningOptions? Options(StructureExtractorInfo extractor, TrainCommand.Arguments a, TextWriter stderr)
    {
        var name = extractor.Name;
        var refused = new (object? Value, string Option)[]
        {
            (a.Scale, "--scale"), (a.Resume, "--resume"), (a.Init, "--init"), (a.Degradation, "--degradation"), (a.Spsr, "--spsr"),
            (a.Boundaries, "--boundaries"), (a.Snapshots, "--snapshots"), (a.Redegrade ? true : null, "--redegrade-each-epoch"),
        }.Where(r => r.Value is not null).Select(r => r.Option).ToList();
        if (refused.Count > 0)
            return Usage(stderr, $"{string.Join(", ", refused)} {(refused.Count == 1 ? "does" : "do")} not apply to {name}: a structure extractor trains in one run on HR patches (no scale, degradation, checkpoint or resume).");
        if (a.Data is null || a.Output is null)
            return Usage(stderr, $"sr train --model {name} needs --data <folder of images> and -o <weights.safetensors>.");
        if (a.Minutes is <= 0 || a.Steps is <= 0 or > int.MaxValue || a.Batch is <= 0 || a.Patch is <= 0 || a.LearningRate is <= 0 || a.ValImages <= 0)
            return Usage(stderr, "--minutes, --steps, --batch, --patch, --lr and --val-images must be positive.");
        StructureLearningOptions options;
        try
        {
            var text = a.Options is { } o && o.StartsWith('@') ? File.ReadAllText(o[1..]) : a.Options;
            var json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the options must be a JSON object");
            // The user's fields over the paper's settings for this task (e.g. jigsaw's lr 1e-4). Enums are numbers: Sampling 0 = horizontal, 1 = vertical, 2 = cross.
            options = ModelOptions.Bind(name, json, extractor.PaperOptions);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return Usage(stderr, $"--options: {e.Message}");
        }
        return options with
        {
            Task = extractor.Task,
            LearningRate = a.LearningRate ?? options.LearningRate,
            BatchSize = a.Batch ?? options.BatchSize,
            PatchSize = a.Patch ?? options.PatchSize,
            Seed = a.Seed is long seed ? checked((int)seed) : options.Seed,
            Steps = a.Steps is long st ? (int)st : a.Minutes is null ? options.Steps : int.MaxValue,
            MaxDuration = a.Minutes is double m ? TimeSpan.FromMinutes(m) : null,
        };
    }

    private static StructureLearningOptions? Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return null;
    }

    /// <summary>Trains under a progress bar (Ctrl-C keeps what is trained so far), then measures and writes the extractor.</summary>
    private static int Train(StructureExtractorInfo extractor, StructureLearningOptions options, List<Tensor> train, List<Tensor> heldOut,
        TrainCommand.Arguments a, TextWriter stdout, TextWriter stderr)
    {
        using var bar = new ConsoleProgressBar(stdout, live: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
            bar.WriteLine("interrupt: finishing the current step and writing the extractor trained so far …");
        };
        Console.CancelKeyPress += onCancel;
        StructureLearning.Trained trained;
        try
        {
            trained = StructureLearning.Train(train, options, new Reporter(p => bar.Update(
                a.Minutes is null ? (double)p.Step / p.Steps : null, $"step {p.Step}  loss {p.Loss:G4}  train top-1 {p.Accuracy:P1}")), cts.Token);
        }
        catch (TrainingDivergedException e)
        {
            bar.Dispose();
            stderr.WriteLine("error: " + e.Message + " Try a lower --lr.");
            return TrainCommand.ExitDiverged;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        using (trained)
        {
            bar.Complete(1, $"step {trained.Steps}, {trained.Elapsed.TotalMinutes:F1} min");
            return Save(extractor, options, trained, heldOut, a, stdout);
        }
    }

    private static int Save(StructureExtractorInfo extractor, StructureLearningOptions options, StructureLearning.Trained trained, List<Tensor> heldOut,
        TrainCommand.Arguments a, TextWriter stdout)
    {
        var name = extractor.Name;
        bool jigsaw = extractor.Task == StructureLearningTask.Jigsaw;
        var facts = new Dictionary<string, string>
        {
            ["model"] = name,
            ["task"] = options.Task.ToString(),
            ["steps"] = trained.Steps.ToString(CultureInfo.InvariantCulture),
            ["stop"] = trained.StopReason.ToString(),
            ["options"] = JsonSerializer.Serialize(options with { MaxDuration = null }),
            ["data"] = Path.GetFullPath(a.Data!),
            ["training_minutes"] = trained.Elapsed.TotalMinutes.ToString("F2", CultureInfo.InvariantCulture),
        };
        if (heldOut.Count > 0)
        {
            var acc = StructureLearning.Evaluate(trained, heldOut, options.PatchSize, options.SamplesPerMap);
            stdout.WriteLine($"held-out top-1 on {heldOut.Count} images of {a.Val}: {acc.Top1:P2} over {acc.Samples:N0} {(jigsaw ? "puzzles" : "targets")} " +
                $"(chance {acc.Chance:P2}{(jigsaw ? ", 1 of 24 permutations" : $", 1 of 1 + {acc.MeanNegatives:F0} candidates")})");
            facts["val_top1"] = acc.Top1.ToString("F4", CultureInfo.InvariantCulture);
            facts["val_chance"] = acc.Chance.ToString("F4", CultureInfo.InvariantCulture);
            facts["val_samples"] = acc.Samples.ToString(CultureInfo.InvariantCulture);
        }
        var output = Path.GetFullPath(a.Output!);
        trained.Extractor.save_safetensors(output, facts);
        stdout.WriteLine($"wrote {output} ({trained.StopReason switch { TrainingStopReason.StepsReached => "step bound reached", TrainingStopReason.TimeBudgetSpent => "time budget spent", _ => "cancelled" }}, {trained.Steps} steps); " +
            $"use it with: sr train --model spsr-{name[^1]} --spsr '{{\"StructureExtractorPath\": \"{a.Output}\"}}' …");
        return trained.StopReason == TrainingStopReason.Cancelled ? TrainCommand.ExitCancelled : 0;
    }

    private sealed class Reporter(Action<StructureLearning.Progress> handler) : IProgress<StructureLearning.Progress>
    {
        public void Report(StructureLearning.Progress value) => handler(value);
    }
}
