using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Models.Imaging;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Models.Training;

namespace Sr.Cli.Commands;

/// <summary>
/// The settings of one `sr train` run, resolved from the command line and, on --resume, the checkpoint: a resumed run takes
/// its settings from the checkpoint unless told otherwise (then it is no longer exact, and a warning says so). A usage error
/// is written to stderr as one line and <see cref="Resolve"/> returns null (exit 2).
/// </summary>
internal sealed class TrainSettings
{
    private readonly TrainCommand.Arguments _a;
    private readonly Dictionary<string, string> _stored;
    private string _modelName = "";

    private TrainSettings(TrainCommand.Arguments a, Dictionary<string, string> stored)
    {
        _a = a;
        _stored = stored;
    }

    public List<string> Warnings { get; } = [];
    public ModelInfo Info { get; private set; } = null!;
    public int Scale { get; private set; }
    public string DataFolder { get; private set; } = "";
    public string DegradationName { get; private set; } = "";
    public IDegradation Degradation { get; private set; } = null!;
    public JsonObject? NetworkOptions { get; private set; }

    /// <summary>Where the network options came from, for errors: "--options" or "--options &lt;file&gt;".</summary>
    public string OptionsWhere { get; private set; } = "--options";
    public long Seed { get; private set; }
    public TrainingRecipe Recipe { get; private set; } = null!;
    public TrainingFiles Files { get; private set; } = null!;
    public (int Steps, TimeSpan Interval) CheckpointPeriod { get; private set; } = (0, TimeSpan.FromMinutes(2));
    public List<double> SnapshotMinutes { get; } = [];
    public SpsrOptions? Spsr { get; private set; }
    public string SpsrJson { get; private set; } = "";

    /// <summary>The checkpoint's value of a setting (null when not resuming or not stored).</summary>
    public string? Stored(string key) => _stored.TryGetValue(key, out var v) ? v : null;

    public static TrainSettings? Resolve(TrainCommand.Arguments a, Func<string, ModelInfo> models, Func<string, IDegradation> degradations, TextWriter stderr)
    {
        Dictionary<string, string> stored = [];
        if (a.Resume is { } resumePath)
        {
            using var ckpt = Checkpoint.Load(resumePath);
            stored = ckpt.Metadata.ToDictionary(p => p.Key, p => p.Value);
        }
        var settings = new TrainSettings(a, stored);
        return settings.ResolveRun(stderr) && settings.ResolveModel(models, degradations, stderr) && settings.ResolveRecipe(stderr) && settings.ResolveGan(stderr)
            ? settings : null;
    }

    /// <summary>The given value, else the checkpoint's; a given value that differs from the checkpoint's adds a warning.</summary>
    public string? PickText(string? given, string key)
    {
        var s = Stored(key);
        if (given is not null && s is not null && given != s) Warnings.Add($"--{key} {given} differs from the checkpoint's {s}: the resumed run will not equal an uninterrupted one.");
        return given ?? s;
    }

    private T Pick<T>(T? given, string key, Func<string, T> parse, T fallback) where T : struct
    {
        var s = Stored(key);
        if (s is null) return given ?? fallback;
        var fromCheckpoint = parse(s);
        if (given is T g && !EqualityComparer<T>.Default.Equals(g, fromCheckpoint))
        {
            Warnings.Add($"--{key} {g} differs from the checkpoint's {fromCheckpoint}: the resumed run will not equal an uninterrupted one.");
            return g;
        }
        return fromCheckpoint;
    }

    public static int ParseInt(string s) => int.Parse(s, CultureInfo.InvariantCulture);
    private static long ParseLong(string s) => long.Parse(s, CultureInfo.InvariantCulture);

    private static bool Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return false;
    }

    private bool ResolveRun(TextWriter stderr)
    {
        var modelName = PickText(_a.Model, "model");
        var dataFolder = PickText(_a.Data, "data");
        if (modelName is null || dataFolder is null || _a.Output is null)
            return Usage(stderr, "sr train needs --model <name>, --data <folder> and -o <model file> (or --resume <checkpoint> for the first two).");
        DataFolder = dataFolder;
        if (_a.Minutes is <= 0 || _a.Steps is <= 0 || _a.Batch is <= 0 || _a.Patch is <= 0 || _a.LearningRate is <= 0 || _a.ValImages <= 0 || _a.ValidateEvery < 0)
            return Usage(stderr, "--minutes, --steps, --batch, --patch, --lr and --val-images must be positive (and --validate-every not negative).");
        if (_a.CheckpointEvery is { } every)
        {
            if (TrainCommand.ParseCheckpointEvery(every, out var everyError) is not { } period) return Usage(stderr, everyError!);
            CheckpointPeriod = period;
        }
        foreach (var part in (_a.Snapshots ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var mm) || !(mm > 0))
                return Usage(stderr, $"--snapshots: '{part}' is not a positive number of minutes (write e.g. --snapshots 1,2.5,5).");
            SnapshotMinutes.Add(mm);
        }
        _modelName = modelName;
        return true;
    }

    private bool ResolveModel(Func<string, ModelInfo> models, Func<string, IDegradation> degradations, TextWriter stderr)
    {
        Info = models(_modelName);
        Scale = Pick(_a.Scale, "scale", ParseInt, Sr.Models.SrDefaults.Scale);
        if (!Info.Scales.Contains(Scale)) return Usage(stderr, $"--scale {Scale}: model '{Info.Name}' supports scales {string.Join(", ", Info.Scales)}.");
        DegradationName = PickText(_a.Degradation, "degradation") ?? Sr.Models.SrDefaults.Degradation;
        Degradation = degradations(DegradationName);
        // Errors in an options file name the file (--options @file.json), as errors in a model file do.
        var optionsSource = _a.Options is { } o && o.StartsWith('@') ? o[1..] : null;
        string? optionsFileText;
        try
        {
            optionsFileText = optionsSource is null ? _a.Options : File.ReadAllText(optionsSource);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Usage(stderr, $"--options {optionsSource}: cannot be read ({e.Message}).");
        }
        var optionsText = PickText(optionsFileText, "options");
        OptionsWhere = optionsSource is null ? "--options" : $"--options {optionsSource}";
        try
        {
            NetworkOptions = string.IsNullOrWhiteSpace(optionsText) ? null : JsonNode.Parse(optionsText) as JsonObject
                ?? throw new JsonException("the options must be a JSON object");
        }
        catch (JsonException e)
        {
            return Usage(stderr, $"{OptionsWhere}: not valid JSON ({e.Message}).");
        }
        if (NetworkOptions is { Count: 0 }) NetworkOptions = null;
        return true;
    }

    private bool ResolveRecipe(TextWriter stderr)
    {
        Seed = Pick(_a.Seed, "sampler_seed", ParseLong, 1);
        var recipe = Info.RecipeFor(Scale);
        recipe = recipe with
        {
            BatchSize = Pick(_a.Batch, "batch", ParseInt, recipe.BatchSize),
            HrPatchSize = Pick(_a.Patch, "patch", ParseInt, recipe.HrPatchSize),
            LearningRate = Pick(_a.LearningRate, "lr", v => double.Parse(v, CultureInfo.InvariantCulture), recipe.LearningRate),
        };
        // Per-layer rates are part of the run: a checkpoint written before they existed resumes without them (exactly).
        if (_a.Resume is not null)
        {
            var storedMultipliers = Stored("lr_multipliers");
            recipe = recipe with
            {
                LearningRateMultipliers = string.IsNullOrEmpty(storedMultipliers) ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(storedMultipliers),
            };
        }
        Recipe = recipe;
        Files = TrainingFiles.For(_a.Output!);
        return true;
    }

    private bool ResolveGan(TextWriter stderr)
    {
        if (Info.Training != TrainingMethod.SpsrGan)
            return _a.Spsr is null || Usage(stderr, $"--spsr applies to spsr-g, spsr-p and spsr-j, not '{Info.Name}'.");
        try
        {
            // The GAN settings are part of the run: stored in the checkpoint (normalised JSON) and taken from it on resume.
            static JsonObject? ParseSettings(string? text) =>
                string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the SPSR settings must be a JSON object");
            var given = ParseSettings(_a.Spsr is { } t && t.StartsWith('@') ? File.ReadAllText(t[1..]) : _a.Spsr);
            var json = ParseSettings(PickText(given?.ToJsonString(), "spsr"));
            SpsrJson = json?.ToJsonString() ?? "";
            Spsr = SpsrModels.TrainingOptions(Info.Name, Scale, NetworkOptions, ModelOptions.Bind<SpsrOptions>(Info.Name, json)) with
            {
                BatchSize = Recipe.BatchSize, HrPatchSize = Recipe.HrPatchSize, LearningRateG = Recipe.LearningRate,
            };
            Spsr.Validate();
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return Usage(stderr, $"--spsr: {e.Message}");
        }
    }
}
