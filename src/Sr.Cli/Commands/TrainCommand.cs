using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sr.Models.Imaging;
using Sr.Models.Networks;
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
        // nse-p / nse-j: not SR networks, trained by their pretext task (their own loop, no checkpoints).
        if (StructureLearning.FindExtractor(a.Model) is { } extractor) return StructureTraining.Run(extractor, a, stdout, stderr);
        if (a.Init is not null && a.Resume is not null)
        {
            stderr.WriteLine("error: --init and --resume exclude each other: a resumed run already has its weights (use --init to start a new run from a model file).");
            return ExitUsage;
        }
        if (TrainSettings.Resolve(a, models, degradations, stderr) is not { } settings) return ExitUsage;
        foreach (var w in settings.Warnings) stderr.WriteLine("warning: " + w);
        TrainingSession built;
        try
        {
            built = new TrainingSession(settings.Info, settings.Scale, settings.NetworkOptions, settings.Seed);
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {settings.OptionsWhere}: {CliErrors.Describe(e)}");
            return ExitUsage;
        }
        using var session = built;
        if (a.Init is { } initPath)
        {
            var (copied, total, from) = session.InitializeFrom(initPath);
            stdout.WriteLine($"initialised {copied} of {total} weight tensors from {initPath} ({from})");
        }
        session.PrepareStep(settings.Spsr);
        if (a.Boundaries is not null && !session.UsesBoundaries)
        {
            stderr.WriteLine($"error: --boundaries applies to a network with a boundary output and α > 0 (lsp-hsp), not '{settings.Info.Name}'.");
            return ExitUsage;
        }
        var options = LoadData(session, settings, a, stdout, stderr);
        return TrainConsole.Run(session, options, a, settings.Files, stdout, stderr);
    }

    /// <summary>The training data, boundary maps and validation set of the run, its checkpoint metadata and options; prints the run's header.</summary>
    private static TrainingOptions LoadData(TrainingSession session, TrainSettings settings, Arguments a, TextWriter stdout, TextWriter stderr)
    {
        // Boundary targets (lsp-hsp): --boundaries, the checkpoint's folder on resume ("" = none), else <data>/boundaries when present.
        var implicitBoundaries = Path.Combine(settings.DataFolder, BoundaryMaps.DefaultFolderName);
        var boundaryFolder = settings.PickText(a.Boundaries, "boundaries") is { Length: > 0 } chosen ? chosen
            : a.Resume is null && session.UsesBoundaries && Directory.Exists(implicitBoundaries) ? implicitBoundaries : null;
        var recipe = settings.Recipe;
        var sampler = session.LoadFolder(settings.DataFolder, settings.Degradation, new PatchSamplerOptions
        {
            BatchSize = recipe.BatchSize, HrPatchSize = recipe.HrPatchSize, Augment = recipe.Augment, Seed = settings.Seed, RedegradeEachEpoch = a.Redegrade,
            BoundaryFolder = boundaryFolder,
        });
        foreach (var skipped in sampler.Skipped) stderr.WriteLine($"warning: skipped {skipped}");
        // Validation is part of the run's record, not of its arithmetic (it changes no weight): a resumed run keeps the
        // checkpoint's folder, image count and period unless told otherwise, so its curves go on where they stopped.
        var valFolder = a.Val ?? (settings.Stored("val") is { Length: > 0 } storedVal ? storedVal : null);
        int valCount = !a.ValImagesGiven && settings.Stored("val_images") is { } storedCount ? TrainSettings.ParseInt(storedCount) : a.ValImages;
        int validatePeriod = !a.ValidateEveryGiven && settings.Stored("validate_every") is { } storedEvery ? TrainSettings.ParseInt(storedEvery) : a.ValidateEvery;
        if (a.Resume is not null && a.Val is null && valFolder is not null && !Directory.Exists(valFolder))
        {
            stderr.WriteLine($"warning: the checkpoint's validation folder {valFolder} is gone: the resumed run does not validate (give --val <folder>).");
            valFolder = null;
        }
        if (valFolder is not null) session.LoadValidation(valFolder, settings.Degradation, valCount);
        var metadata = Metadata(settings, a, boundaryFolder, valFolder, valCount, validatePeriod);
        var options = new TrainingOptions
        {
            Recipe = recipe,
            MaxSteps = a.Steps ?? (a.Minutes is null ? recipe.Steps : null),
            MaxDuration = a.Minutes is double m ? TimeSpan.FromMinutes(m) : null,
            Seed = settings.Seed,
            ValidateEvery = valFolder is null ? 0 : validatePeriod,
            CheckpointPath = settings.Files.Checkpoint,
            CheckpointEvery = settings.CheckpointPeriod.Steps,
            CheckpointInterval = settings.CheckpointPeriod.Interval,
            ResumeFrom = a.Resume,
            CheckpointMetadata = metadata,
            LogCsvPath = settings.Files.LogCsv,
            CurvesPngPath = settings.Files.CurvesPng,
            CurvesRenderer = new WarnOnceCurves(new TrainingCurvesPlot(), stderr),
            SnapshotTimes = settings.SnapshotMinutes.Select(TimeSpan.FromMinutes).ToList(),
            Snapshot = settings.SnapshotMinutes.Count == 0 ? null : session.SnapshotWriter(settings.Files, metadata),
        };
        PrintHeader(session, settings, a, boundaryFolder, implicitBoundaries, stdout);
        return options;
    }

    /// <summary>What a checkpoint stores so that --resume rebuilds the run, and what the model file records of it.</summary>
    private static Dictionary<string, string> Metadata(TrainSettings settings, Arguments a, string? boundaryFolder, string? valFolder, int valCount, int validatePeriod)
    {
        var recipe = settings.Recipe;
        var metadata = new Dictionary<string, string>
        {
            ["model"] = settings.Info.Name,
            ["scale"] = settings.Scale.ToString(CultureInfo.InvariantCulture),
            ["options"] = settings.NetworkOptions?.ToJsonString() ?? "",
            ["degradation"] = settings.DegradationName,
            ["data"] = settings.DataFolder,
            ["batch"] = recipe.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["patch"] = recipe.HrPatchSize.ToString(CultureInfo.InvariantCulture),
            ["lr"] = recipe.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["lr_multipliers"] = recipe.LearningRateMultipliers is { Count: > 0 } lm ? JsonSerializer.Serialize(lm) : "",
            ["boundaries"] = boundaryFolder ?? "",
            ["val"] = valFolder is null ? "" : Path.GetFullPath(valFolder),
            ["val_images"] = valCount.ToString(CultureInfo.InvariantCulture),
            ["validate_every"] = validatePeriod.ToString(CultureInfo.InvariantCulture),
        };
        if (settings.Spsr is not null) metadata["spsr"] = settings.SpsrJson;
        if (a.Init is not null) metadata["init"] = Path.GetFullPath(a.Init);
        else if (settings.Stored("init") is { } storedInit) metadata["init"] = storedInit;
        return metadata;
    }

    private static void PrintHeader(TrainingSession session, TrainSettings settings, Arguments a, string? boundaryFolder, string implicitBoundaries, TextWriter stdout)
    {
        var (info, recipe, sampler) = (settings.Info, settings.Recipe, session.Data!);
        stdout.WriteLine($"training {info.Name} ×{settings.Scale} ({session.Network.ParameterCount():N0} parameters, {info.ColorSpace}) on {sampler.ImageCount} images of {settings.DataFolder}, " +
            $"degradation {settings.Degradation.Name}; {recipe.Optimizer} lr {recipe.LearningRate:G3}, {recipe.Loss}, batch {recipe.BatchSize}, HR patch {sampler.HrPatchSize}, seed {settings.Seed}; " +
            $"{torch.get_num_threads()} threads" + (a.Resume is null ? "" : $"; resuming from {a.Resume}"));
        if (session.Gan is { } gan)
        {
            var o = gan.Options;
            var discriminators = new[] { gan.ImageDiscriminator is null ? null : "image", gan.GradientDiscriminator is null ? null : "gradient", gan.StructureDiscriminator is null ? null : "structure" };
            stdout.WriteLine($"SPSR-{o.Variant} GAN: discriminators {string.Join(", ", discriminators.OfType<string>().DefaultIfEmpty("none"))}; " +
                $"weights pixel {o.PixelWeight:G3}, perceptual {o.FeatureWeight:G3}, branch {o.PixelBranchWeight:G3}; fusion-only for {(o.BranchPretrain ? o.BranchInitIterations : 0)} iterations; " +
                "the checkpoint holds G, the discriminators, their optimisers and the iteration (VGG19/NSE come from their files)");
        }
        if (session.UsesBoundaries)
            stdout.WriteLine(boundaryFolder is null
                ? $"boundary targets: Sobel edges of the HR patches (no boundary files; put them in {implicitBoundaries} or give --boundaries <folder>)"
                : $"boundary targets: {sampler.ImageCount} maps from {boundaryFolder}");
        stdout.WriteLine($"checkpoint {settings.Files.Checkpoint}; curves {settings.Files.CurvesPng}; log {settings.Files.LogCsv}");
    }
}
