using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Crops an image to height and width multiples of the scale, keeping the top-left corner (MATLAB's <c>modcrop</c> of the
/// SR evaluation protocol), so an HR image and its ×s LR image align exactly.
/// </summary>
public sealed class ModCropTransformer : ImageTransformerBase, ILoadableTransformer<ModCropTransformer>
{
    private static readonly VersionInfo Version = new("MODCROP ", 0x00010001, 0x00010001, 0x00010001, "SrModCrop");

    public ModCropTransformer(int scale, params (string outputColumnName, string inputColumnName)[] columns) : base(columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        Scale = scale;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public int Scale { get; }

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) => input;

    protected override DataViewSchema.Annotations GetOutputAnnotations(int pair, DataViewSchema.Column input, ColorSpace? output) =>
        new DataViewSchema.Annotations.Builder().Add(WithColorSpace(input.Annotations, output), k => k != AnnotationKinds.ModCrop)
            .AddPrimitiveValue(AnnotationKinds.ModCrop, NumberDataViewType.Int32, Scale).ToAnnotations();

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        int h = input.Height - input.Height % Scale, w = input.Width - input.Width % Scale;
        if (h == 0 || w == 0) throw new InvalidOperationException($"{input.Source ?? "an image"}: {input.Width}×{input.Height} is smaller than the scale {Scale}.");
        return input.Pixels.narrow(2, 0, h).narrow(3, 0, w);
    }

    /// <summary>*** Binary format *** options JSON: { Scale, Columns }.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved { Scale = Scale, Columns = ColumnOptions.Save(ColumnPairs) });
    }

    public static ModCropTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        if (o.Scale <= 0) throw ctx.Error($"{ctx.Directory}: scale {o.Scale} is not positive");
        return new ModCropTransformer(o.Scale, ColumnOptions.Pairs(o.Columns, ctx));
    }

    private sealed class Saved
    {
        public int Scale { get; set; }
        public string[][] Columns { get; set; } = [];
    }
}
