using Sr.Models;
using Sr.Models.Imaging;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Makes an LR image from an HR image (mod-cropped to the scale) with an <see cref="IDegradation"/>: MATLAB bicubic (BI),
/// blur-down (BD), noise (DN), JPEG … The degradation is saved by its specification (<c>Degradations.Parse</c> form), so
/// only parsable degradations can be saved. Noise is seeded per row: seed + row position, the evaluator's convention
/// (seed + image index), so a pipeline and <c>sr eval</c> make the same LR images. Train-and-test only by default: a deployed
/// model is given real LR images and does not degrade them.
/// </summary>
public sealed class DegradeTransformer : ImageTransformerBase, ILoadableTransformer<DegradeTransformer>
{
    private static readonly VersionInfo Version = new("DEGRADE ", 0x00010001, 0x00010001, 0x00010001, "SrDegrade");

    public DegradeTransformer(IDegradation degradation, int scale, long seed, params (string outputColumnName, string inputColumnName)[] columns) : base(columns)
    {
        ArgumentNullException.ThrowIfNull(degradation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        Degradation = degradation;
        Scale = scale;
        Seed = seed;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public IDegradation Degradation { get; }
    public int Scale { get; }
    public long Seed { get; }

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) => input;

    protected override DataViewSchema.Annotations GetOutputAnnotations(int pair, DataViewSchema.Column input, ColorSpace? output)
    {
        if (input.Annotations.TryGetValue<int>(AnnotationKinds.ModCrop, out var m) && m % Scale != 0)
            throw SchemaErrors.Mismatch(input.Name, $"Image mod-cropped to a multiple of {Scale}", $"Image mod-cropped to {m}");
        return new DataViewSchema.Annotations.Builder()
            .Add(WithColorSpace(input.Annotations, output), k => k is not (AnnotationKinds.ScaleDivisor or AnnotationKinds.ModCrop))
            .AddPrimitiveValue(AnnotationKinds.ScaleDivisor, NumberDataViewType.Int32, Scale).ToAnnotations();
    }

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        if (input.Height % Scale != 0 || input.Width % Scale != 0)
            throw new InvalidOperationException($"{input.Source ?? "an image"}: {input.Width}×{input.Height} is not a multiple of the scale {Scale}; add ModCrop(scale: {Scale}) before Degrade.");
        return Degradation.Apply(input.Pixels, Scale, Seed + position).to(ScalarType.Float32);
    }

    /// <summary>*** Binary format *** options JSON: { Degradation (its Name, parsed back with Degradations.Parse), Scale, Seed, Columns }.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        try
        {
            Degradations.Parse(Degradation.Name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Degradation '{Degradation.Name}' cannot be saved: its name does not parse back ({e.Message}).", e);
        }
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved { Degradation = Degradation.Name, Scale = Scale, Seed = Seed, Columns = ColumnOptions.Save(ColumnPairs) });
    }

    public static DegradeTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        IDegradation d;
        try
        {
            d = Degradations.Parse(o.Degradation);
        }
        catch (ArgumentException e)
        {
            throw ctx.Error($"{ctx.Directory}: unknown degradation '{o.Degradation}' ({e.Message})", e);
        }
        if (o.Scale <= 0) throw ctx.Error($"{ctx.Directory}: scale {o.Scale} is not positive");
        return new DegradeTransformer(d, o.Scale, o.Seed, ColumnOptions.Pairs(o.Columns, ctx));
    }

    private sealed class Saved
    {
        public string Degradation { get; set; } = "";
        public int Scale { get; set; }
        public long Seed { get; set; }
        public string[][] Columns { get; set; } = [];
    }
}

/// <summary>
/// Estimator of <see cref="DegradeTransformer"/>; train-and-test by default (<see cref="IScopedEstimator"/>).
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column data type | Image (H, W multiples of the scale) |
/// | Output column data type | Image (H/s × W/s) |
/// </remarks>
/// </summary>
public sealed class DegradeEstimator : TrivialEstimator<DegradeTransformer>, IScopedEstimator
{
    public DegradeEstimator(Options options) : base(new DegradeTransformer(
        (options ?? throw new ArgumentNullException(nameof(options))).Degradation ?? Degradations.Parse(options.Kind),
        options.Scale, options.Seed ?? Defaults.Seed, (options.OutputColumnName, options.InputColumnName ?? options.OutputColumnName))) { }

    public TransformerScope DefaultScope => TransformerScope.TrainTest;

    public static class Defaults
    {
        public const int Scale = 4;
        public const string Kind = "bicubic";
        public const long Seed = 0;
    }

    public sealed class Options
    {
        public string OutputColumnName { get; set; } = "LR";
        public string? InputColumnName { get; set; }
        public int Scale { get; set; } = Defaults.Scale;

        /// <summary>A specification <c>Degradations.Parse</c> understands: "bicubic" (BI), "bd" (BD), "dn" (DN), "jpeg:40", "blur:1.6", "noise:30" …</summary>
        public string Kind { get; set; } = Defaults.Kind;

        /// <summary>A degradation object instead of <see cref="Kind"/> (saved by its Name, which must parse back).</summary>
        public IDegradation? Degradation { get; set; }

        /// <summary>Base seed of per-row noise (null: 0, the evaluator's base seed).</summary>
        public long? Seed { get; set; }
    }
}
