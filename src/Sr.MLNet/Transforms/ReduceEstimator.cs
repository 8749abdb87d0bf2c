using System.Text.Json.Nodes;
using Sr.Models;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Trains RSRNet end to end — HR → RRNet → quantised LR → SRNet → HR, loss on the reconstruction (Cai et al., Sec. 3) —
/// on the HR images of a column, with the training engine, and returns the <see cref="ReduceTransformer"/> that applies
/// the learned down-scaler.
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Yes |
/// | Input column data type | Image (HR, Y, multiples of the scale) |
/// | Output column data type | Image (LR, Y, quantised to 8-bit levels) |
/// </remarks>
/// </summary>
public sealed class ReduceEstimator : IEstimator<ReduceTransformer>
{
    private readonly Options _options;

    public ReduceEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ModelName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Scale);
        _options = options;
    }

    public sealed class Options
    {
        public string OutputColumnName { get; set; } = "LR";
        public string InputColumnName { get; set; } = "HR";
        /// <summary>A registry network with a learned down-scaler (<see cref="IReducingNetwork"/>).</summary>
        public string ModelName { get; set; } = "rsrnet";
        public int Scale { get; set; } = 2;
        public JsonObject? NetworkOptions { get; set; }
        public TrainingRecipe? Recipe { get; set; }
        public long? MaxSteps { get; set; }
        public TimeSpan? MaxDuration { get; set; }
        public int? HrPatchSize { get; set; }
        public int? BatchSize { get; set; }
        public int? Seed { get; set; }
        public IProgress<TrainingProgress>? Progress { get; set; }
        public CancellationToken CancellationToken { get; set; }
    }

    internal int Seed { get; set; } = 1;

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var info = ModelRegistry.Get(_options.ModelName);
        var hr = inputSchema.FindInput(_options.InputColumnName, "Image", c => c.IsImage);
        if (ImageTransformerBase.ColorSpaceOf(hr.Annotations) is { } cs && cs != info.ColorSpace)
            throw SchemaErrors.Mismatch(hr.Name, $"{info.ColorSpace} Image (model '{info.Name}')", $"{cs} Image");
        var annotations = new DataViewSchema.Annotations.Builder().Add(ImageTransformerBase.WithColorSpace(hr.Annotations, info.ColorSpace), k => k != AnnotationKinds.ModCrop)
            .AddPrimitiveValue(AnnotationKinds.ScaleDivisor, NumberDataViewType.Int32, _options.Scale).ToAnnotations();
        return inputSchema.With(SchemaShape.Column.Image(_options.OutputColumnName, annotations));
    }

    public ReduceTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var info = ModelRegistry.Get(_options.ModelName);
        int scale = _options.Scale, seed = _options.Seed ?? Seed;
        var recipe = _options.Recipe ?? info.RecipeFor(scale);
        var images = new List<Tensor>();
        try
        {
            int minSide = int.MaxValue;
            using (var cursor = input.GetRowCursor([input.Schema[_options.InputColumnName]]))
            {
                var getter = cursor.GetGetter<SrImage>(input.Schema[_options.InputColumnName]);
                SrImage hr = null!;
                while (cursor.MoveNext())
                {
                    _options.CancellationToken.ThrowIfCancellationRequested();
                    getter(ref hr);
                    images.Add(hr.Pixels.squeeze(0).clone().DetachFromDisposeScope());
                    minSide = Math.Min(minSide, Math.Min(hr.Height, hr.Width));
                }
                hr?.Dispose();
            }
            if (images.Count == 0) throw new InvalidOperationException($"Reduce: the training data has no rows in '{_options.InputColumnName}'.");
            // The sampler also makes bicubic LR patches; the objective ignores them (RRNet makes its own LR).
            var network = EngineTraining.Train(info, scale, recipe, seed, images, minSide, ResizeDegradation.Bicubic, _options.HrPatchSize,
                _options.BatchSize, _options.NetworkOptions, _options.MaxSteps, _options.MaxDuration, _options.Progress, _options.CancellationToken,
                new SynchronousReductionObjective(recipe.Loss),
                n => { if (n is not IReducingNetwork) throw new ArgumentException($"Model '{info.Name}' has no learned down-scaler."); });
            return new ReduceTransformer(info.Name, network, _options.NetworkOptions, _options.OutputColumnName, _options.InputColumnName);
        }
        finally
        {
            foreach (var t in images) t.Dispose();
        }
    }
}
