using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Cli.Progress;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Networks.Spsr;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Plots;
using Sr.Torch;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr train --model &lt;name&gt; --scale &lt;s&gt; --data &lt;folder&gt; [--val &lt;folder&gt;] [--minutes m | --steps n] … -o &lt;model.srm&gt;`:
/// trains a registered network with its paper's recipe (any field overridable), shows a live progress bar, keeps a
/// checkpoint (&lt;model&gt;.ckpt), a log (&lt;model&gt;.log.csv) and a picture of the curves (&lt;model&gt;.curves.png) up to date,
/// and writes the SrMlNet model file. Ctrl-C or SIGTERM writes a checkpoint and exits with 130; `--resume` continues exactly,
/// and the model file records the training time of the whole run (all resumed sessions).
/// </summary>
public static class TrainCommand
{
    public const int ExitDiverged = 3, ExitCancelled = 130, ExitUsage = 2;

    /// <summary>The command on the registry's networks and the named degradations.</summary>
    public static Command Create() => Create(ModelRegistry.Get, Degradations.Parse);

    /// <summary>The command with other sources of networks and degradations (tests, third parties).</summary>
    public static Command Create(Func<string, ModelInfo> models, Func<string, IDegradation> degradations)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(degradations);
        var model = new Option<string?>("--model", "-m") { Description = "Registered network to train (see `sr models`)." };
        var scale = new Option<int?>("--scale", "-s") { Description = "Upscaling factor (2, 3 or 4). Default 2." };
        var data = new Option<string?>("--data") { Description = "Folder of HR training images (e.g. ../shared/data/T91)." };
        var val = new Option<string?>("--val") { Description = "Folder of validation images (the first --val-images of them, sorted by name). On --resume: the checkpoint's unless given." };
        var valImages = new Option<int>("--val-images") { Description = "How many validation images to use. On --resume: the checkpoint's.", DefaultValueFactory = _ => 5 };
        var validateEvery = new Option<int>("--validate-every") { Description = "Validate every N steps (and at the end). On --resume: the checkpoint's unless given.", DefaultValueFactory = _ => 200 };
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
        var init = new Option<string?>("--init") { Description = "Start from the weights of this model file (.srm of the same network and scale): fine-tuning, or a second stage with a lower --lr." };
        var spsr = new Option<string?>("--spsr") { Description = "SPSR GAN settings (spsr-g/-p/-j) as JSON text or @file.json, names of SpsrOptions: e.g. {\"FeatureWeight\": 0, \"BranchInitIterations\": 500, \"Vgg19WeightsPath\": \"vgg19.pth\", \"StructureExtractorPath\": \"nse-p.safetensors\"}." };
        var snapshots = new Option<string?>("--snapshots") { Description = "Comma-separated minutes (e.g. 1,2.5,5) at which to also save the model as <model>.at-<m>min.srm, for quality-versus-time curves." };
        var boundaries = new Option<string?>("--boundaries") { Description = $"Folder of boundary maps for lsp-hsp: one gray image per training image, same name stem, values in [0,1] (e.g. BSDS500's human annotations as PNG). Default: <data>/{BoundaryMaps.DefaultFolderName} when it exists, else Sobel edges of the HR patches." };
        var output = new Option<string?>("--output", "-o") { Description = "The SrMlNet model file to write (.srm)." };
        var checkpointEvery = new Option<string?>("--checkpoint-every") { Description = "Write the checkpoint every N steps (e.g. 500) or every N minutes (e.g. 5m, 0.5m). Default 2m. A checkpoint is also written at the end, on Ctrl-C and on SIGTERM." };
        var cmd = new Command("train", "Train a network on a folder of images with its paper's recipe, with checkpoints, curves and exact resume.")
        {
            model, scale, data, val, valImages, validateEvery, minutes, steps, batch, patch, lr, seed, resume, degradation, options, redegrade, init, snapshots, spsr, boundaries, output, checkpointEvery,
        };
        cmd.SetAction(parse =>
        {
            var a = new Arguments(parse.GetValue(model), parse.GetValue(scale), parse.GetValue(data), parse.GetValue(val), parse.GetValue(valImages),
                parse.GetValue(validateEvery), parse.GetValue(minutes), parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(patch),
                parse.GetValue(lr), parse.GetValue(seed), parse.GetValue(resume), parse.GetValue(degradation), parse.GetValue(options),
                parse.GetValue(redegrade), parse.GetValue(output)) { Init = parse.GetValue(init), Snapshots = parse.GetValue(snapshots), Spsr = parse.GetValue(spsr), Boundaries = parse.GetValue(boundaries), CheckpointEvery = parse.GetValue(checkpointEvery),
                ValImagesGiven = parse.GetResult(valImages) is { Implicit: false }, ValidateEveryGiven = parse.GetResult(validateEvery) is { Implicit: false } };
            return Run(a, models, degradations, Console.Out, Console.Error);
        });
        return cmd;
    }

    internal sealed record Arguments(string? Model, int? Scale, string? Data, string? Val, int ValImages, int ValidateEvery, double? Minutes, long? Steps,
        int? Batch, int? Patch, double? LearningRate, long? Seed, string? Resume, string? Degradation, string? Options, bool Redegrade, string? Output)
    {
        /// <summary>A model file whose weights start the run (not with --resume).</summary>
        public string? Init { get; init; }

        /// <summary>Comma-separated minutes at which the model is also saved.</summary>
        public string? Snapshots { get; init; }

        /// <summary>SPSR GAN settings (JSON or @file) for spsr-g/-p/-j.</summary>
        public string? Spsr { get; init; }

        /// <summary>Folder of boundary maps for a network with a boundary output (lsp-hsp).</summary>
        public string? Boundaries { get; init; }

        /// <summary>How often the checkpoint is written: "N" steps or "Nm" minutes (null = every 2 minutes).</summary>
        public string? CheckpointEvery { get; init; }

        /// <summary>Whether --val-images was on the command line (else a resumed run takes the checkpoint's).</summary>
        public bool ValImagesGiven { get; init; }

        /// <summary>Whether --validate-every was on the command line (else a resumed run takes the checkpoint's).</summary>
        public bool ValidateEveryGiven { get; init; }
    }

    /// <summary>
    /// Parses <c>--checkpoint-every</c>: a whole number of steps ("500") or minutes with an <c>m</c> ("5m", "0.5m"). Returns
    /// the step period (0 = by time) and the time period (<see cref="TimeSpan.MaxValue"/> = by steps), or an error message.
    /// </summary>
    internal static (int Steps, TimeSpan Interval)? ParseCheckpointEvery(string text, out string? error)
    {
        error = null;
        var t = text.Trim();
        if (t.EndsWith('m') && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double minutes) && minutes > 0 && minutes <= 1e6)
            return (0, TimeSpan.FromMinutes(minutes));
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int steps) && steps > 0)
            return (steps, TimeSpan.MaxValue);
        error = $"--checkpoint-every {text}: write a positive number of steps (e.g. 500) or of minutes with an m (e.g. 5m).";
        return null;
    }

    internal static int Run(Arguments a, Func<string, ModelInfo> models, Func<string, IDegradation> degradations, TextWriter stdout, TextWriter stderr)
    {
        if (StructureTraining.Handles(a.Model)) return StructureTraining.Run(a, stdout, stderr); // nse-p / nse-j: not SR networks
        if (a.Init is not null && a.Resume is not null)
        {
            stderr.WriteLine("error: --init and --resume exclude each other: a resumed run already has its weights (use --init to start a new run from a model file).");
            return ExitUsage;
        }
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
        (int Steps, TimeSpan Interval) checkpointPeriod = (0, TimeSpan.FromMinutes(2));
        if (a.CheckpointEvery is { } every)
        {
            if (ParseCheckpointEvery(every, out var everyError) is not { } period)
            {
                stderr.WriteLine("error: " + everyError);
                return ExitUsage;
            }
            checkpointPeriod = period;
        }
        var snapshotMinutes = new List<double>();
        foreach (var part in (a.Snapshots ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var mm) || !(mm > 0))
            {
                stderr.WriteLine($"error: --snapshots: '{part}' is not a positive number of minutes (write e.g. --snapshots 1,2.5,5).");
                return ExitUsage;
            }
            snapshotMinutes.Add(mm);
        }
        var info = models(modelName);
        int s = Pick(a.Scale, "scale", ParseInt, Sr.Models.SrDefaults.Scale);
        if (!info.Scales.Contains(s))
        {
            stderr.WriteLine($"error: --scale {s}: model '{info.Name}' supports scales {string.Join(", ", info.Scales)}.");
            return ExitUsage;
        }
        var degradationName = PickText(a.Degradation, "degradation") ?? Sr.Models.SrDefaults.Degradation;
        var degradation = degradations(degradationName);
        // Errors in an options file name the file (--options @file.json), as errors in a model file do.
        var optionsSource = a.Options is { } o && o.StartsWith('@') ? o[1..] : null;
        string? optionsFileText;
        try
        {
            optionsFileText = optionsSource is null ? a.Options : File.ReadAllText(optionsSource);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: --options {optionsSource}: cannot be read ({e.Message}).");
            return ExitUsage;
        }
        var optionsText = PickText(optionsFileText, "options");
        var optionsWhere = optionsSource is null ? "--options" : $"--options {optionsSource}";
        JsonObject? networkOptions;
        try
        {
            networkOptions = string.IsNullOrWhiteSpace(optionsText) ? null : JsonNode.Parse(optionsText) as JsonObject
                ?? throw new JsonException("the options must be a JSON object");
        }
        catch (JsonException e)
        {
            stderr.WriteLine($"error: {optionsWhere}: not valid JSON ({e.Message}).");
            return ExitUsage;
        }
        if (networkOptions is { Count: 0 }) networkOptions = null;
        long seedValue = Pick(a.Seed, "sampler_seed", ParseLong, 1);
        var recipe = info.RecipeFor(s);
        recipe = recipe with
        {
            BatchSize = Pick(a.Batch, "batch", ParseInt, recipe.BatchSize),
            HrPatchSize = Pick(a.Patch, "patch", ParseInt, recipe.HrPatchSize),
            LearningRate = Pick(a.LearningRate, "lr", v => double.Parse(v, CultureInfo.InvariantCulture), recipe.LearningRate),
        };
        // Per-layer rates are part of the run: a checkpoint written before they existed resumes without them (exactly).
        if (a.Resume is not null)
        {
            var storedMultipliers = Stored("lr_multipliers");
            recipe = recipe with
            {
                LearningRateMultipliers = string.IsNullOrEmpty(storedMultipliers) ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(storedMultipliers),
            };
        }
        var output = Path.GetFullPath(a.Output);
        var stem = Path.Combine(Path.GetDirectoryName(output)!, Path.GetFileNameWithoutExtension(output));
        var checkpointPath = stem + ".ckpt";

        bool isSpsr = SpsrModels.IsGan(info.Name);
        SpsrOptions? spsrOptions = null;
        string spsrJson = "";
        if (isSpsr)
        {
            try
            {
                // The GAN settings are part of the run: stored in the checkpoint (normalised JSON) and taken from it on resume.
                static JsonObject? ParseSettings(string? text) =>
                    string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the SPSR settings must be a JSON object");
                var given = ParseSettings(a.Spsr is { } t && t.StartsWith('@') ? File.ReadAllText(t[1..]) : a.Spsr);
                var json = ParseSettings(PickText(given?.ToJsonString(), "spsr"));
                spsrJson = json?.ToJsonString() ?? "";
                spsrOptions = SpsrModels.TrainingOptions(info.Name, s, networkOptions, ModelOptions.Bind<SpsrOptions>(info.Name, json)) with
                {
                    BatchSize = recipe.BatchSize, HrPatchSize = recipe.HrPatchSize, LearningRateG = recipe.LearningRate,
                };
                spsrOptions.Validate();
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                stderr.WriteLine($"error: --spsr: {e.Message}");
                return ExitUsage;
            }
        }
        else if (a.Spsr is not null)
        {
            stderr.WriteLine($"error: --spsr applies to spsr-g, spsr-p and spsr-j, not '{info.Name}'.");
            return ExitUsage;
        }
        foreach (var w in warnings) stderr.WriteLine("warning: " + w);

        torch.manual_seed((ulong)seedValue);
        SrNetwork built;
        try
        {
            // Ranges and the parameter budget first: a few characters of JSON can otherwise ask libtorch for gigabytes.
            ModelLimits.Check(info.Name, s, networkOptions);
            built = info.Create(s, networkOptions);
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {optionsWhere}: {CliErrors.Describe(e)}");
            return ExitUsage;
        }
        using var network = built;
        if (a.Init is { } initPath)
        {
            using var initial = ModelFile.Read(initPath);
            int copied = initial.InitializeWeights(network, info, s, partialFrom: isSpsr ? "rrdbnet" : null);
            int total = network.state_dict().Count;
            stdout.WriteLine($"initialised {copied} of {total} weight tensors from {initPath} ({initial.ModelName})");
        }
        using var gan = isSpsr ? SpsrGanTrainer.Create(spsrOptions!, (SpsrNet)network) : null;
        // Boundary targets (lsp-hsp): --boundaries, the checkpoint's folder on resume ("" = none), else <data>/boundaries when present.
        bool usesBoundaries = network is IBoundaryNetwork { BoundaryWeight: > 0 };
        if (a.Boundaries is not null && !usesBoundaries)
        {
            stderr.WriteLine($"error: --boundaries applies to a network with a boundary output and α > 0 (lsp-hsp), not '{info.Name}'.");
            return ExitUsage;
        }
        var implicitBoundaries = Path.Combine(dataFolder, BoundaryMaps.DefaultFolderName);
        var boundaryFolder = PickText(a.Boundaries, "boundaries") is { Length: > 0 } chosen ? chosen
            : a.Resume is null && usesBoundaries && Directory.Exists(implicitBoundaries) ? implicitBoundaries : null;
        var sampler = PatchSampler.FromFolder(dataFolder, s, info.ColorSpace, degradation,
            new PatchSamplerOptions
            {
                BatchSize = recipe.BatchSize, HrPatchSize = recipe.HrPatchSize, Augment = recipe.Augment, Seed = seedValue, RedegradeEachEpoch = a.Redegrade,
                BoundaryFolder = boundaryFolder,
            });
        foreach (var skipped in sampler.Skipped) stderr.WriteLine($"warning: skipped {skipped}");
        // Validation is part of the run's record, not of its arithmetic (it changes no weight): a resumed run keeps the
        // checkpoint's folder, image count and period unless told otherwise, so its curves go on where they stopped.
        var valFolder = a.Val ?? (Stored("val") is { Length: > 0 } storedVal ? storedVal : null);
        int valCount = !a.ValImagesGiven && Stored("val_images") is { } storedCount ? ParseInt(storedCount) : a.ValImages;
        int validatePeriod = !a.ValidateEveryGiven && Stored("validate_every") is { } storedEvery ? ParseInt(storedEvery) : a.ValidateEvery;
        if (a.Resume is not null && a.Val is null && valFolder is not null && !Directory.Exists(valFolder))
        {
            stderr.WriteLine($"warning: the checkpoint's validation folder {valFolder} is gone: the resumed run does not validate (give --val <folder>).");
            valFolder = null;
        }
        using var validation = valFolder is null ? null : ValidationSet.FromFolder(valFolder, s, degradation, valCount);

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
            ["lr_multipliers"] = recipe.LearningRateMultipliers is { Count: > 0 } lm ? JsonSerializer.Serialize(lm) : "",
            ["boundaries"] = boundaryFolder ?? "",
            ["val"] = valFolder is null ? "" : Path.GetFullPath(valFolder),
            ["val_images"] = valCount.ToString(CultureInfo.InvariantCulture),
            ["validate_every"] = validatePeriod.ToString(CultureInfo.InvariantCulture),
        };
        if (isSpsr) metadata["spsr"] = spsrJson;
        if (a.Init is not null) metadata["init"] = Path.GetFullPath(a.Init);
        else if (Stored("init") is { } storedInit) metadata["init"] = storedInit;
        long? maxSteps = a.Steps ?? (a.Minutes is null ? recipe.Steps : null);
        var trainingOptions = new TrainingOptions
        {
            Recipe = recipe,
            MaxSteps = maxSteps,
            MaxDuration = a.Minutes is double m ? TimeSpan.FromMinutes(m) : null,
            Seed = seedValue,
            ValidateEvery = validation is null ? 0 : validatePeriod,
            Validate = validation is null ? null : validation.Evaluate,
            CheckpointPath = checkpointPath,
            CheckpointEvery = checkpointPeriod.Steps,
            CheckpointInterval = checkpointPeriod.Interval,
            ResumeFrom = a.Resume,
            CheckpointMetadata = metadata,
            LogCsvPath = stem + ".log.csv",
            CurvesPngPath = stem + ".curves.png",
            CurvesRenderer = new WarnOnceCurves(new TrainingCurvesPlot(), stderr),
            SnapshotTimes = snapshotMinutes.Select(TimeSpan.FromMinutes).ToList(),
            Snapshot = snapshotMinutes.Count == 0 ? null : (net, step, at) =>
            {
                var m = at.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
                var facts = new Dictionary<string, string>(metadata) { ["steps"] = step.ToString(CultureInfo.InvariantCulture), ["training_minutes"] = m };
                facts.Remove("options");
                ModelFile.Save($"{stem}.at-{m}min{ModelFile.Extension}", net, info.Name, networkOptions, facts);
            },
        };

        stdout.WriteLine($"training {info.Name} ×{s} ({network.ParameterCount():N0} parameters, {info.ColorSpace}) on {sampler.ImageCount} images of {dataFolder}, " +
            $"degradation {degradation.Name}; {recipe.Optimizer} lr {recipe.LearningRate:G3}, {recipe.Loss}, batch {recipe.BatchSize}, HR patch {sampler.HrPatchSize}, seed {seedValue}; " +
            $"{torch.get_num_threads()} threads" + (a.Resume is null ? "" : $"; resuming from {a.Resume}"));
        if (gan is not null)
            stdout.WriteLine($"SPSR-{spsrOptions!.Variant} GAN: discriminators {string.Join(", ", new[] { gan.ImageDiscriminator is null ? null : "image", gan.GradientDiscriminator is null ? null : "gradient", gan.StructureDiscriminator is null ? null : "structure" }.OfType<string>().DefaultIfEmpty("none"))}; " +
                $"weights pixel {spsrOptions.PixelWeight:G3}, perceptual {spsrOptions.FeatureWeight:G3}, branch {spsrOptions.PixelBranchWeight:G3}; fusion-only for {(spsrOptions.BranchPretrain ? spsrOptions.BranchInitIterations : 0)} iterations; " +
                "the checkpoint holds G, the discriminators, their optimisers and the iteration (VGG19/NSE come from their files)");
        if (usesBoundaries)
            stdout.WriteLine(boundaryFolder is null
                ? $"boundary targets: Sobel edges of the HR patches (no boundary files; put them in {implicitBoundaries} or give --boundaries <folder>)"
                : $"boundary targets: {sampler.ImageCount} maps from {boundaryFolder}");
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
        // SIGTERM (kill, systemd, a scheduler's time limit) is handled as Ctrl-C: finish the step, write the checkpoint.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            if (interrupted) return; // a second signal ends the process at once
            interrupted = true;
            ctx.Cancel = true;
            cts.Cancel();
            bar.WriteLine("terminate signal: finishing the current step and writing a checkpoint …");
        });
        TrainingResult result;
        try
        {
            var progress = new Reporter(p =>
            {
                var text = Status(p);
                if (p.Event == "validate" && p.LastValidation is { } v) bar.WriteLine($"step {p.Step}: validation PSNR {v.Psnr:F2} dB ({v.Protocol})");
                bar.Update(p.Fraction, text);
            });
            result = gan is not null
                ? SpsrTrainingRun.Run(gan, sampler, trainingOptions, progress, cts.Token)
                : new Trainer(network, sampler, trainingOptions).Run(progress, cts.Token);
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
            // The whole run's time, across resumes; this session's part separately.
            ["training_minutes"] = result.TotalElapsed.TotalMinutes.ToString("F2", CultureInfo.InvariantCulture),
            ["training_minutes_this_session"] = result.Elapsed.TotalMinutes.ToString("F2", CultureInfo.InvariantCulture),
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
