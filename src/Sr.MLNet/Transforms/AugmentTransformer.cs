using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Random flips and 90° rotations (the 8 dihedral transforms, as EDSR/BasicSR augment patches), the same choice for every
/// column of a row — so an LR patch and its HR patch stay aligned — decided by (seed, row position) alone. A training-only
/// step: appended with the default scope it runs only while fitting.
/// </summary>
public sealed class AugmentTransformer : ImageTransformerBase, ILoadableTransformer<AugmentTransformer>
{
    private static readonly VersionInfo Version = new("AUGMENT ", 0x00010001, 0x00010001, 0x00010001, "SrAugment");

    public AugmentTransformer(int seed, bool flips, bool rotations, params (string outputColumnName, string inputColumnName)[] columns) : base(columns)
    {
        Seed = seed;
        Flips = flips;
        Rotations = rotations;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public int Seed { get; }
    public bool Flips { get; }
    public bool Rotations { get; }

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) => input;

    /// <summary>The dihedral transform of a row: bit 0 horizontal flip, bit 1 vertical flip, bit 2 transpose.</summary>
    internal int Choice(long position)
    {
        int k = (int)(DataOperationsCatalog.Unit((ulong)Seed, (ulong)position) * 8);
        if (!Flips) k &= 4;
        if (!Rotations) k &= 3;
        return k;
    }

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        int k = Choice(position);
        var x = input.Pixels;
        if ((k & 1) != 0) x = x.flip(3);
        if ((k & 2) != 0) x = x.flip(2);
        if ((k & 4) != 0) x = x.transpose(2, 3);
        return x.contiguous();
    }

    /// <summary>*** Binary format *** options JSON: { Seed, Flips, Rotations, Columns }.</summary>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved { Seed = Seed, Flips = Flips, Rotations = Rotations, Columns = ColumnOptions.Save(ColumnPairs) });
    }

    public static AugmentTransformer Create(ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        return new AugmentTransformer(o.Seed, o.Flips, o.Rotations, ColumnOptions.Pairs(o.Columns, ctx));
    }

    private sealed class Saved
    {
        public int Seed { get; set; }
        public bool Flips { get; set; }
        public bool Rotations { get; set; }
        public string[][] Columns { get; set; } = [];
    }
}
