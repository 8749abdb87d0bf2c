using Sr.Models;
using Sr.Models.Imaging;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// RGB → Y (BT.601 as MATLAB's <c>rgb2ycbcr</c>, the channel the SR papers measure and most of their networks see), in
/// [16/255, 235/255]. With <see cref="RoundLikeUint8"/> (the default, as MATLAB on uint8 images and the evaluation
/// protocol) Y is rounded to an 8-bit level. The chroma is not kept: <see cref="ConvertToRgbTransformer"/> takes it from
/// the RGB column again, upscaled, when recombining.
/// </summary>
public sealed class ConvertToYCbCrTransformer : ImageTransformerBase, ILoadableTransformer<ConvertToYCbCrTransformer>
{
    private static readonly VersionInfo Version = new("RGB2Y   ", 0x00010001, 0x00010001, 0x00010001, "SrConvertToY");

    public ConvertToYCbCrTransformer(bool roundLikeUint8, params (string outputColumnName, string inputColumnName)[] columns) : base(columns)
    {
        RoundLikeUint8 = roundLikeUint8;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public bool RoundLikeUint8 { get; }

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) => input switch
    {
        ColorSpace.Y => throw SchemaErrors.Mismatch(ColumnPairs[pair].inputColumnName, "RGB Image", "Y Image"),
        _ => ColorSpace.Y,
    };

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        if (input.ColorSpace == ColorSpace.Y) throw new InvalidOperationException($"{input.Source ?? "an image"} in '{ColumnPairs[pair].inputColumnName}' is already Y.");
        // Through 8-bit levels in float64 exactly as the evaluator does, so pipeline and `sr eval` see the same Y.
        var rgb255 = input.Pixels.to(ScalarType.Float64).mul(255);
        if (RoundLikeUint8) rgb255 = rgb255.round();
        return ColorConversion.RgbToY(rgb255, RoundLikeUint8, peak: 255).div(255).to(ScalarType.Float32);
    }

    /// <summary>*** Binary format *** options JSON: { RoundLikeUint8, Columns }.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved { RoundLikeUint8 = RoundLikeUint8, Columns = ColumnOptions.Save(ColumnPairs) });
    }

    public static ConvertToYCbCrTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        return new ConvertToYCbCrTransformer(o.RoundLikeUint8, ColumnOptions.Pairs(o.Columns, ctx));
    }

    private sealed class Saved
    {
        public bool RoundLikeUint8 { get; set; }
        public string[][] Columns { get; set; } = [];
    }
}

/// <summary>
/// Y (+ the chroma of an RGB column) → RGB: the chroma (Cb, Cr) of <see cref="ChromaColumnName"/> is resized with MATLAB
/// bicubic to the Y image's size and recombined (BT.601 inverse), clamped to [0,1]. This is how SR papers show a Y-channel
/// network's output in colour. Without a chroma column the result is gray (Cb = Cr = 128/255).
/// </summary>
public sealed class ConvertToRgbTransformer : RowToRowTransformerBase, ILoadableTransformer<ConvertToRgbTransformer>
{
    private static readonly VersionInfo Version = new("Y2RGB   ", 0x00010001, 0x00010001, 0x00010001, "SrConvertToRgb");

    public ConvertToRgbTransformer(string outputColumnName, string inputColumnName, string? chromaColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        ChromaColumnName = chromaColumnName;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public string? ChromaColumnName { get; }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns(DataViewSchema inputSchema)
    {
        var y = SchemaErrors.FindImage(inputSchema, InputColumnName);
        if (ImageTransformerBase.ColorSpaceOf(y.Annotations) == ColorSpace.Rgb) throw SchemaErrors.Mismatch(InputColumnName, "Y Image", "RGB Image");
        if (ChromaColumnName is not null)
        {
            var c = SchemaErrors.FindImage(inputSchema, ChromaColumnName);
            if (ImageTransformerBase.ColorSpaceOf(c.Annotations) == ColorSpace.Y) throw SchemaErrors.Mismatch(ChromaColumnName, "RGB Image", "Y Image");
        }
        return [new DataViewSchema.DetachedColumn(OutputColumnName, new ImageDataViewType(), ImageTransformerBase.WithColorSpace(y.Annotations, ColorSpace.Rgb))];
    }

    protected override IEnumerable<string> GetInputColumnNames() => ChromaColumnName is null ? [InputColumnName] : [InputColumnName, ChromaColumnName];

    protected override Delegate CreateGetter(DataViewRow input, int outputIndex)
    {
        var yGetter = input.GetGetter<SrImage>(input.Schema[InputColumnName]);
        var cGetter = ChromaColumnName is null ? null : input.GetGetter<SrImage>(input.Schema[ChromaColumnName]);
        SrImage y = null!, chroma = null!;
        return (ValueGetter<SrImage>)((ref SrImage value) =>
        {
            yGetter(ref y);
            if (y.ColorSpace != ColorSpace.Y) throw new InvalidOperationException($"{y.Source ?? "an image"} in '{InputColumnName}' is not Y.");
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            Tensor cbcr;
            if (cGetter is null)
            {
                cbcr = torch.full([1, 2, y.Height, y.Width], 128.0 / 255);
            }
            else
            {
                cGetter(ref chroma);
                var ycc = ColorConversion.RgbToYCbCr(chroma.Pixels.to(ScalarType.Float64)).narrow(1, 1, 2);
                cbcr = (chroma.Height == y.Height && chroma.Width == y.Width ? ycc : MatlabResize.Resize(ycc, y.Height, y.Width)).to(ScalarType.Float32);
            }
            var rgb = ColorConversion.YCbCrToRgb(torch.cat([y.Pixels, cbcr], 1)).clamp(0, 1);
            SrImage? dst = value;
            SrImage.Assign(ref dst, rgb, ColorSpace.Rgb, y.Source);
            value = dst!;
        });
    }

    /// <summary>*** Binary format *** options JSON: { Output, Input, Chroma }.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved(OutputColumnName, InputColumnName, ChromaColumnName));
    }

    public static ConvertToRgbTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        if (string.IsNullOrEmpty(o.Output) || string.IsNullOrEmpty(o.Input)) throw ctx.Error($"{ctx.Directory}: missing column names");
        return new ConvertToRgbTransformer(o.Output, o.Input, o.Chroma);
    }

    private sealed record Saved(string Output, string Input, string? Chroma);
}

/// <summary>
/// RGB → gray RGB (R = G = B = full-range BT.601 luma 0.299 R + 0.587 G + 0.114 B), keeping three channels as ML.NET's
/// <c>ConvertToGrayscale</c> does (which uses 0.3/0.59/0.11; SrMlNet uses the BT.601 weights).
/// </summary>
public sealed class ConvertToGrayscaleTransformer : ImageTransformerBase, ILoadableTransformer<ConvertToGrayscaleTransformer>
{
    private static readonly VersionInfo Version = new("GRAY    ", 0x00010001, 0x00010001, 0x00010001, "SrConvertToGrayscale");

    public ConvertToGrayscaleTransformer(params (string outputColumnName, string inputColumnName)[] columns) : base(columns) { }

    public static string LoaderSignature => Version.LoaderSignature;

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) =>
        input == ColorSpace.Y ? throw SchemaErrors.Mismatch(ColumnPairs[pair].inputColumnName, "RGB Image", "Y Image") : ColorSpace.Rgb;

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        var p = input.Pixels;
        var luma = p.narrow(1, 0, 1).mul(0.299).add(p.narrow(1, 1, 1).mul(0.587)).add(p.narrow(1, 2, 1).mul(0.114));
        return luma.expand(1, 3, input.Height, input.Width).contiguous();
    }

    /// <summary>*** Binary format *** options JSON: { Columns }.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved { Columns = ColumnOptions.Save(ColumnPairs) });
    }

    public static ConvertToGrayscaleTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        return new ConvertToGrayscaleTransformer(ColumnOptions.Pairs(ctx.LoadOptions<Saved>().Columns, ctx));
    }

    private sealed class Saved
    {
        public string[][] Columns { get; set; } = [];
    }
}
