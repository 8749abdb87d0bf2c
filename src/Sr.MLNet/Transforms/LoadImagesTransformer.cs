using Sr.Models;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.MLNet;

/// <summary>
/// Decodes image files named by a text column into RGB image columns (1×3×H×W float32 in [0,1]; gray files become
/// R=G=B, alpha is dropped, 16-bit files are scaled by 1/65535). Files are read only when a getter asks.
/// </summary>
public sealed class LoadImagesTransformer : OneToOneTransformerBase, ILoadableTransformer<LoadImagesTransformer>
{
    private static readonly VersionInfo Version = new("IMGLOADR", 0x00010001, 0x00010001, 0x00010001, LoaderSignatureValue);
    private const string LoaderSignatureValue = "SrImageLoader";

    public LoadImagesTransformer(string? imageFolder, params (string outputColumnName, string inputColumnName)[] columns) : base(columns)
    {
        ImageFolder = imageFolder;
    }

    public static string LoaderSignature => LoaderSignatureValue;

    /// <summary>Relative paths are resolved against this folder (null: the current directory).</summary>
    public string? ImageFolder { get; }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int pair, DataViewSchema inputSchema)
    {
        var (output, input) = ColumnPairs[pair];
        var col = SchemaErrors.FindInput(inputSchema, input, "String", c => c.Type is TextDataViewType);
        return new DataViewSchema.DetachedColumn(output, new ImageDataViewType(),
            ImageTransformerBase.WithColorSpace(DataViewSchema.Annotations.Empty, ColorSpace.Rgb));
    }

    protected override Delegate CreateGetter(DataViewRow input, int outputIndex)
    {
        var pathGetter = input.GetGetter<string>(input.Schema[ColumnPairs[outputIndex].inputColumnName]);
        string path = "";
        return (ValueGetter<SrImage>)((ref SrImage value) =>
        {
            pathGetter(ref path);
            var full = ImageFolder is null ? path : Path.Combine(ImageFolder, path);
            SrImage? dst = value;
            using (var scope = torch.NewDisposeScope())
            {
                var pixels = ReadRgb(full);
                SrImage.Assign(ref dst, pixels, ColorSpace.Rgb, full);
            }
            value = dst!;
        });
    }

    /// <summary>Reads a file as a 1×3×H×W float32 RGB tensor in [0,1] (inside the caller's dispose scope).</summary>
    internal static Tensor ReadRgb(string path)
    {
        using var decoded = ImageFile.Read(path);
        var hwc = decoded.Pixels;
        var c = decoded.Channels;
        var rgb = c switch
        {
            1 => hwc.expand(hwc.shape[0], hwc.shape[1], 3),
            2 => hwc.narrow(2, 0, 1).expand(hwc.shape[0], hwc.shape[1], 3),
            3 => hwc,
            4 => hwc.narrow(2, 0, 3),
            _ => throw new ImageFormatException(path, $"has {c} channels; expected gray, RGB or RGBA"),
        };
        double max = decoded.BitDepth > 8 ? 65535.0 : 255.0;
        return rgb.permute(2, 0, 1).unsqueeze(0).to(ScalarType.Float32).div(max).contiguous();
    }

    /// <summary>*** Binary format *** options JSON: { ImageFolder, Columns: [[output, input], …] }.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new SavedOptions { ImageFolder = ImageFolder, Columns = ColumnPairs.Select(p => new[] { p.outputColumnName, p.inputColumnName }).ToArray() });
    }

    public static LoadImagesTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<SavedOptions>();
        return new LoadImagesTransformer(o.ImageFolder, ColumnOptions.Pairs(o.Columns, ctx));
    }

    private sealed class SavedOptions
    {
        public string? ImageFolder { get; set; }
        public string[][] Columns { get; set; } = [];
    }
}
