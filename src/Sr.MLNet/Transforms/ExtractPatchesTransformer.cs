using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Cuts aligned LR/HR patch pairs from each row: LR patches of <see cref="PatchSize"/>² LR pixels every
/// <see cref="Stride"/> LR pixels (a full grid, SRCNN-style sub-images; the last row and column of patches are not
/// shifted to the border), with the HR patch covering the same area (s·PatchSize)² at s times the offset — s being HR
/// size / LR size, which must be a whole number. One input row becomes many output rows, so this is not a row-to-row
/// transformer; the input's other columns pass through unchanged for every patch of their row. Training-only.
/// </summary>
public sealed class ExtractPatchesTransformer : ITransformer, ILoadableTransformer<ExtractPatchesTransformer>
{
    private static readonly VersionInfo Version = new("PATCHES ", 0x00010001, 0x00010001, 0x00010001, "SrExtractPatches");

    public ExtractPatchesTransformer(string lrPatchColumnName, string hrPatchColumnName, string lrColumnName, string hrColumnName, int patchSize, int stride, int scale)
    {
        ArgumentException.ThrowIfNullOrEmpty(lrPatchColumnName);
        ArgumentException.ThrowIfNullOrEmpty(hrPatchColumnName);
        ArgumentException.ThrowIfNullOrEmpty(lrColumnName);
        ArgumentException.ThrowIfNullOrEmpty(hrColumnName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        if (lrPatchColumnName == hrPatchColumnName) throw new ArgumentException("The LR and HR patch columns need different names.");
        LrPatchColumnName = lrPatchColumnName;
        HrPatchColumnName = hrPatchColumnName;
        LrColumnName = lrColumnName;
        HrColumnName = hrColumnName;
        PatchSize = patchSize;
        Stride = stride;
        Scale = scale;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public string LrPatchColumnName { get; }
    public string HrPatchColumnName { get; }
    public string LrColumnName { get; }
    public string HrColumnName { get; }

    /// <summary>LR patch side in LR pixels.</summary>
    public int PatchSize { get; }

    /// <summary>Step between patches in LR pixels.</summary>
    public int Stride { get; }

    /// <summary>The HR/LR size ratio the patches must have (checked on every row).</summary>
    public int Scale { get; }

    public bool IsRowToRowMapper => false;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var lr = SchemaErrors.FindImage(inputSchema, LrColumnName);
        var hr = SchemaErrors.FindImage(inputSchema, HrColumnName);
        var lrCs = ImageTransformerBase.ColorSpaceOf(lr.Annotations);
        var hrCs = ImageTransformerBase.ColorSpaceOf(hr.Annotations);
        if (lrCs is { } a && hrCs is { } b && a != b)
            throw SchemaErrors.Mismatch(HrColumnName, $"{a} Image (as '{LrColumnName}')", $"{b} Image");
        return new DataViewSchema.Builder().AddColumns(inputSchema)
            .AddColumn(LrPatchColumnName, new ImageDataViewType(PatchSize, PatchSize), lr.Annotations)
            .AddColumn(HrPatchColumnName, new ImageDataViewType(PatchSize * Scale, PatchSize * Scale), hr.Annotations)
            .ToSchema();
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new PatchView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>The top-left LR offsets of the patches of an h×w LR image.</summary>
    internal IEnumerable<(int y, int x)> Offsets(int h, int w)
    {
        for (int y = 0; y + PatchSize <= h; y += Stride)
            for (int x = 0; x + PatchSize <= w; x += Stride)
                yield return (y, x);
    }

    /// <summary>*** Binary format *** options JSON: the constructor's arguments.</summary>
    public void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved(LrPatchColumnName, HrPatchColumnName, LrColumnName, HrColumnName, PatchSize, Stride, Scale));
    }

    public static ExtractPatchesTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        try
        {
            return new ExtractPatchesTransformer(o.LrPatch, o.HrPatch, o.Lr, o.Hr, o.PatchSize, o.Stride, o.Scale);
        }
        catch (ArgumentException e)
        {
            throw ctx.Error($"{ctx.Directory}: invalid options ({e.Message})", e);
        }
    }

    private sealed record Saved(string LrPatch, string HrPatch, string Lr, string Hr, int PatchSize, int Stride, int Scale);

    private sealed class PatchView(ExtractPatchesTransformer owner, IDataView input, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => false;
        public DataViewSchema Schema => schema;
        public long? GetRowCount() => null;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            ArgumentNullException.ThrowIfNull(columnsNeeded);
            var active = columnsNeeded.Select(c => c.Index).ToHashSet();
            int nIn = input.Schema.Count;
            var needed = active.Where(i => i < nIn).Select(i => input.Schema[i]).ToList();
            needed.Add(input.Schema[owner.LrColumnName]);
            needed.Add(input.Schema[owner.HrColumnName]);
            return new PatchCursor(owner, input.GetRowCursor(needed.DistinctBy(c => c.Index)), schema, active, nIn);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];
    }

    private sealed class PatchCursor : DataViewRowCursor
    {
        private readonly ExtractPatchesTransformer _owner;
        private readonly DataViewRowCursor _input;
        private readonly DataViewSchema _schema;
        private readonly HashSet<int> _active;
        private readonly int _nIn;
        private readonly ValueGetter<SrImage> _lrGetter, _hrGetter;
        private SrImage? _lr, _hr;
        private List<(int y, int x)> _offsets = [];
        private int _patch = -1;
        private long _position = -1;

        public PatchCursor(ExtractPatchesTransformer owner, DataViewRowCursor input, DataViewSchema schema, HashSet<int> active, int nIn)
        {
            _owner = owner;
            _input = input;
            _schema = schema;
            _active = active;
            _nIn = nIn;
            _lrGetter = input.GetGetter<SrImage>(input.Schema[owner.LrColumnName]);
            _hrGetter = input.GetGetter<SrImage>(input.Schema[owner.HrColumnName]);
        }

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => _schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool MoveNext()
        {
            while (_patch + 1 >= _offsets.Count)
            {
                if (!_input.MoveNext())
                {
                    _position = -1;
                    return false;
                }
                // Moving to a new image needs its size to know how many patches it has: read both images now.
                _lrGetter(ref _lr!);
                _hrGetter(ref _hr!);
                int s = _owner.Scale;
                if (_hr.Height != _lr.Height * s || _hr.Width != _lr.Width * s)
                    throw new InvalidOperationException($"{_hr.Source ?? "row " + _input.Position}: HR '{_owner.HrColumnName}' is {_hr.Width}×{_hr.Height} but LR '{_owner.LrColumnName}' is {_lr.Width}×{_lr.Height}; patches need HR = {s} × LR exactly (mod-crop the HR image first).");
                if (_hr.ColorSpace != _lr.ColorSpace)
                    throw new InvalidOperationException($"{_hr.Source ?? "row " + _input.Position}: LR is {_lr.ColorSpace} but HR is {_hr.ColorSpace}.");
                _offsets = _owner.Offsets(_lr.Height, _lr.Width).ToList();
                _patch = -1;
            }
            _patch++;
            _position++;
            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column)) throw Values.Inactive(column);
            Values.CheckGetterType<TValue>(_schema[column.Index]);
            if (column.Index < _nIn) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            bool isLr = column.Index == _nIn;
            ValueGetter<SrImage> g = (ref SrImage value) =>
            {
                if (_position < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
                var (y, x) = _offsets[_patch];
                int p = _owner.PatchSize, s = isLr ? 1 : _owner.Scale;
                var img = isLr ? _lr! : _hr!;
                using var scope = torch.NewDisposeScope();
                var patch = img.Pixels.narrow(2, y * s, p * s).narrow(3, x * s, p * s);
                SrImage? dst = value;
                SrImage.Assign(ref dst, patch, img.ColorSpace, img.Source);
                value = dst!;
            };
            return (ValueGetter<TValue>)(object)g;
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing) return;
            _lr?.Dispose();
            _hr?.Dispose();
            _input.Dispose();
        }
    }
}
