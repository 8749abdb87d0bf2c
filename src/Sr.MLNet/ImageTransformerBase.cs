using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// The base of image → image transformers (colour conversion, cropping, degradation, super-resolution). A subclass says
/// what colour space comes out and maps one image tensor to another; this base checks the columns, runs the map
/// without autograd inside a dispose scope, computes each row at most once however often its getter is called, and
/// copies the result into the caller's buffer (<see cref="SrImage.Assign(ref SrImage?, Tensor, ColorSpace, string?)"/>).
/// </summary>
public abstract class ImageTransformerBase : OneToOneTransformerBase
{
    protected ImageTransformerBase(params (string outputColumnName, string inputColumnName)[] columns) : base(columns) { }

    /// <summary>
    /// The colour space pair <paramref name="pair"/> produces from <paramref name="input"/> (null: the input's colour space is
    /// only known at run time); throw <see cref="SchemaErrors.Mismatch"/> when the input cannot be used.
    /// </summary>
    protected abstract ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input);

    /// <summary>The output tensor (1×C×H×W float32, a new tensor; the base disposes it) for <paramref name="input"/> at cursor position <paramref name="position"/>.</summary>
    protected abstract Tensor Map(int pair, SrImage input, long position);

    /// <summary>The output column's annotations; by default the input's, with the colour space replaced.</summary>
    protected virtual DataViewSchema.Annotations GetOutputAnnotations(int pair, DataViewSchema.Column input, ColorSpace? output) =>
        WithColorSpace(input.Annotations, output);

    /// <summary>The output column's type; by default an image of unknown size.</summary>
    protected virtual ImageDataViewType GetOutputType(int pair, DataViewSchema.Column input) => new();

    /// <summary>The colour space an image column's annotation declares, or null.</summary>
    public static ColorSpace? ColorSpaceOf(DataViewSchema.Annotations annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        return annotations.TryGetValue<string>(AnnotationKinds.ColorSpace, out var s) && Enum.TryParse<ColorSpace>(s, out var cs) ? cs : null;
    }

    /// <summary><paramref name="annotations"/> with the colour space set (or removed when null).</summary>
    public static DataViewSchema.Annotations WithColorSpace(DataViewSchema.Annotations annotations, ColorSpace? colorSpace)
    {
        var b = new DataViewSchema.Annotations.Builder().Add(annotations, k => k != AnnotationKinds.ColorSpace);
        if (colorSpace is { } cs) b.AddPrimitiveValue(AnnotationKinds.ColorSpace, TextDataViewType.Instance, cs.ToString());
        return b.ToAnnotations();
    }

    protected sealed override DataViewSchema.DetachedColumn GetOutputColumn(int pair, DataViewSchema inputSchema)
    {
        var (output, input) = ColumnPairs[pair];
        var col = SchemaErrors.FindImage(inputSchema, input);
        var cs = GetOutputColorSpace(pair, ColorSpaceOf(col.Annotations));
        return new DataViewSchema.DetachedColumn(output, GetOutputType(pair, col), GetOutputAnnotations(pair, col, cs));
    }

    protected sealed override Delegate CreateGetter(DataViewRow input, int outputIndex)
    {
        var column = input.Schema[ColumnPairs[outputIndex].inputColumnName];
        return new RowCache(this, outputIndex, input, input.GetGetter<SrImage>(column)).Getter;
    }

    /// <summary>The last computed row of one output column of one cursor; disposed with the cursor.</summary>
    private sealed class RowCache(ImageTransformerBase owner, int pair, DataViewRow row, ValueGetter<SrImage> source) : IDisposable
    {
        private long _position = -1;
        private SrImage? _input;
        private SrImage? _result;

        public ValueGetter<SrImage> Getter => Get;

        private void Get(ref SrImage value)
        {
            long position = row.Position;
            if (position < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
            if (position != _position || _result is null)
            {
                source(ref _input!);
                using (torch.no_grad())
                using (var scope = torch.NewDisposeScope())
                {
                    var output = owner.Map(pair, _input, position);
                    var cs = output.shape is [1, 1, _, _] ? ColorSpace.Y : ColorSpace.Rgb;
                    SrImage.Assign(ref _result, output, cs, _input.Source);
                }
                _position = position;
            }
            SrImage? dst = value;
            SrImage.Assign(ref dst, _result!);
            value = dst!;
        }

        public void Dispose()
        {
            _input?.Dispose();
            _result?.Dispose();
        }
    }
}
