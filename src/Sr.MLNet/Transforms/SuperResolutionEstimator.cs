using System.Text.Json.Nodes;
using Sr.Models;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Trains a registry network on the (LR, HR) pairs of a data view with SrMlNet's training engine and returns the
/// <see cref="SuperResolutionTransformer"/> that applies it. The pairs can be whole images (the engine's sampler cuts
/// random aligned patches) or the rows of <c>ExtractPatches</c> (whole patches are sampled); either way the network
/// sees exactly the pipeline's LR, with the engine's D4 augmentation when the recipe asks for it.
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Yes |
/// | Input column data type | Image (LR) and Image (HR label), both in the network's colour space |
/// | Output column data type | Image (s·h × s·w) |
/// </remarks>
/// </summary>
public sealed class SuperResolutionEstimator : IEstimator<SuperResolutionTransformer>
{
    private readonly Options _options;

    public SuperResolutionEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ModelName);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputColumnName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Scale);
        _options = options;
    }

    public static class Defaults
    {
        public const string ModelName = "rsrnet-sr";
        public const int Scale = 3;
        public const string OutputColumnName = "SR";
        public const string InputColumnName = "LR";
        public const string LabelColumnName = "HR";
        /// <summary>LR tile side for inference (LR pixels); keeps a 2000×2000 ×4 output within a few GB.</summary>
        public const int TileSize = 256;
    }

    /// <summary>Everything the estimator needs, as data (JSON-serialisable except the progress/cancellation hooks).</summary>
    public sealed class Options
    {
        public string OutputColumnName { get; set; } = Defaults.OutputColumnName;
        /// <summary>The LR images (training input, and what the fitted transformer upscales).</summary>
        public string InputColumnName { get; set; } = Defaults.InputColumnName;
        /// <summary>The HR images (training targets).</summary>
        public string LabelColumnName { get; set; } = Defaults.LabelColumnName;
        /// <summary>The LR column training reads when it differs from <see cref="InputColumnName"/> (the patch column of ExtractPatches); null: the same.</summary>
        public string? TrainingInputColumnName { get; set; }
        /// <summary>The HR column training reads (the HR patch column of ExtractPatches); null: <see cref="LabelColumnName"/>.</summary>
        public string? TrainingLabelColumnName { get; set; }
        public string ModelName { get; set; } = Defaults.ModelName;
        public int Scale { get; set; } = Defaults.Scale;
        /// <summary>The network's options (registry-specific JSON), null for the paper's.</summary>
        public JsonObject? NetworkOptions { get; set; }
        /// <summary>The training recipe; null: the registry's recipe for <see cref="ModelName"/>.</summary>
        public TrainingRecipe? Recipe { get; set; }
        public long? MaxSteps { get; set; }
        public TimeSpan? MaxDuration { get; set; }
        /// <summary>HR patch side for training; null: the recipe's, shrunk to fit the smallest HR image (e.g. the patches of ExtractPatches).</summary>
        public int? HrPatchSize { get; set; }
        public int? BatchSize { get; set; }
        /// <summary>Seed of sampling and initialisation; null: the context's.</summary>
        public int? Seed { get; set; }
        public int TileSize { get; set; } = Defaults.TileSize;
        /// <summary>
        /// SPSR's GAN training (for spsr-g/-p/-j): its losses, discriminators, fusion-only phase and schedule. Null for those
        /// models: the settings of <see cref="SpsrModels.TrainingOptions"/> (the paper's, needing VGG19 weights).
        /// </summary>
        public SpsrOptions? Spsr { get; set; }
        /// <summary>A model file (.srm) whose weights start training: the same network (fine-tuning), or an rrdbnet for SPSR's generator (by name and shape).</summary>
        public string? InitialWeights { get; set; }
        /// <summary>
        /// Boundary maps for lsp-hsp, as <c>sr train --boundaries</c>: a folder with one gray map per training image, found by the
        /// file name of the row's HR image (its <see cref="SrImage.Source"/>). Rows must hold whole (mod-cropped) images, not
        /// ExtractPatches patches, so that each map lines up with its image. Null: Sobel edges of the HR patches.
        /// </summary>
        public string? BoundaryFolder { get; set; }
        public IProgress<TrainingProgress>? Progress { get; set; }
        public CancellationToken CancellationToken { get; set; }
    }

    /// <summary>The registry network it trains ("rsrnet-sr", "spsr-p", …).</summary>
    public string ModelName => _options.ModelName;

    public int Scale => _options.Scale;

    internal int Seed { get; set; } = 1;

    private string TrainInput => _options.TrainingInputColumnName ?? _options.InputColumnName;

    private string TrainLabel => _options.TrainingLabelColumnName ?? _options.LabelColumnName;

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var info = ModelRegistry.Get(_options.ModelName);
        var lr = inputSchema.FindInput(_options.InputColumnName, "Image", c => c.IsImage);
        var trainLr = inputSchema.FindInput(TrainInput, "Image", c => c.IsImage);
        var trainHr = inputSchema.FindInput(TrainLabel, "Image", c => c.IsImage);
        foreach (var c in new[] { lr, trainLr, trainHr })
            if (ImageTransformerBase.ColorSpaceOf(c.Annotations) is { } cs && cs != info.ColorSpace)
                throw SchemaErrors.Mismatch(c.Name, $"{info.ColorSpace} Image (model '{info.Name}' trains on {info.ColorSpace})", $"{cs} Image");
        if (!info.Scales.Contains(_options.Scale))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Model '{info.Name}' supports {string.Join(", ", info.Scales.Select(s => "×" + s))}, not ×{_options.Scale}.");
        var annotations = new DataViewSchema.Annotations.Builder()
            .Add(lr.Annotations, k => k is not (AnnotationKinds.ScaleDivisor or AnnotationKinds.ModCrop)).ToAnnotations();
        return inputSchema.With(SchemaShape.Column.Image(_options.OutputColumnName, annotations));
    }

    public SuperResolutionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var info = ModelRegistry.Get(_options.ModelName);
        int scale = _options.Scale;
        int seed = _options.Seed ?? Seed;
        var recipe = _options.Recipe ?? info.RecipeFor(scale);
        var pairs = new PairedLowResolution();
        var hrImages = new List<Tensor>();
        List<Tensor>? boundaries = _options.BoundaryFolder is null ? null : [];
        if (_options.BoundaryFolder is { } boundaryFolder && !Directory.Exists(boundaryFolder))
            throw new DirectoryNotFoundException($"{boundaryFolder}: boundary map folder does not exist.");
        try
        {
            int minSide = int.MaxValue;
            using (var cursor = input.GetRowCursor([input.Schema[TrainInput], input.Schema[TrainLabel]]))
            {
                var lrGetter = cursor.GetGetter<SrImage>(input.Schema[TrainInput]);
                var hrGetter = cursor.GetGetter<SrImage>(input.Schema[TrainLabel]);
                SrImage lr = null!, hr = null!;
                while (cursor.MoveNext())
                {
                    _options.CancellationToken.ThrowIfCancellationRequested();
                    lrGetter(ref lr);
                    hrGetter(ref hr);
                    if (hr.Height != lr.Height * scale || hr.Width != lr.Width * scale)
                        throw new InvalidOperationException($"{hr.Source ?? "row " + cursor.Position}: HR {hr.Width}×{hr.Height} is not ×{scale} of LR {lr.Width}×{lr.Height}; mod-crop the HR and degrade it by {scale}.");
                    if (hr.ColorSpace != info.ColorSpace || lr.ColorSpace != info.ColorSpace)
                        throw new InvalidOperationException($"{hr.Source ?? "row " + cursor.Position}: model '{info.Name}' trains on {info.ColorSpace} images, got {lr.ColorSpace} LR / {hr.ColorSpace} HR.");
                    if (boundaries is not null) boundaries.Add(BoundaryFor(hr, scale, cursor.Position));
                    pairs.Add(hr.Pixels, lr.Pixels);
                    hrImages.Add(hr.Pixels.squeeze(0).clone().DetachFromDisposeScope());
                    minSide = Math.Min(minSide, Math.Min(hr.Height, hr.Width));
                }
                lr?.Dispose();
                hr?.Dispose();
            }
            if (hrImages.Count == 0) throw new InvalidOperationException($"SuperResolve: the training data has no rows in '{TrainLabel}'.");
            var spsr = SpsrModels.IsGan(info.Name) ? SpsrModels.TrainingOptions(info.Name, scale, _options.NetworkOptions, _options.Spsr) : null;
            var network = EngineTraining.Train(info, scale, recipe, seed, hrImages, minSide, pairs, _options.HrPatchSize, _options.BatchSize,
                _options.NetworkOptions, _options.MaxSteps, _options.MaxDuration, _options.Progress, _options.CancellationToken,
                spsr: spsr, initialWeights: _options.InitialWeights, boundaries: boundaries);
            return new SuperResolutionTransformer(info.Name, network, _options.NetworkOptions, _options.TileSize, _options.OutputColumnName, _options.InputColumnName);
        }
        finally
        {
            pairs.Clear();
            foreach (var t in hrImages) t.Dispose();
            foreach (var t in boundaries ?? []) t.Dispose();
        }
    }

    /// <summary>The boundary map of a training row's HR image, mod-cropped as the image was (bottom/right, less than the scale).</summary>
    private Tensor BoundaryFor(SrImage hr, int scale, long row)
    {
        var folder = _options.BoundaryFolder!;
        var source = hr.Source ?? throw new InvalidOperationException($"row {row}: BoundaryFolder needs to know the HR image's file (SrImage.Source) to find its boundary map.");
        var file = BoundaryMaps.FindFile(folder, source) ?? throw new FileNotFoundException($"{folder}: no boundary map for {Path.GetFileName(source)} (row {row}); every training image needs <stem>.png there.");
        var map = BoundaryMaps.ReadFile(file);
        long h = map.size(1), w = map.size(2);
        if (h < hr.Height || w < hr.Width || h - hr.Height >= scale || w - hr.Width >= scale)
        {
            map.Dispose();
            throw new InvalidDataException($"{file}: the boundary map is {w}×{h} but row {row}'s HR image is {hr.Width}×{hr.Height}; boundary maps need whole images " +
                "(mod-cropped at most), not ExtractPatches patches.");
        }
        using (map) return map.narrow(1, 0, hr.Height).narrow(2, 0, hr.Width).contiguous().DetachFromDisposeScope();
    }
}
