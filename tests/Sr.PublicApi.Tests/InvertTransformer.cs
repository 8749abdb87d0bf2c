using Sr.MLNet;
using Sr.Models;
using Sr.Torch;

namespace ThirdParty.Transforms;

/// <summary>A third party's transformer: 1 − x with a strength, saveable through the public hooks only.</summary>
public sealed class InvertTransformer : ImageTransformerBase, ILoadableTransformer<InvertTransformer>
{
    private static readonly VersionInfo Version = new("INVERT  ", 0x00010001, 0x00010001, 0x00010001, "ThirdPartyInvert");

    public InvertTransformer(double strength, string outputColumnName, string inputColumnName) : base((outputColumnName, inputColumnName))
    {
        Strength = strength;
    }

    public static string LoaderSignature => Version.LoaderSignature;

    public double Strength { get; }

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) =>
        input == ColorSpace.Y ? throw SchemaErrors.Mismatch(ColumnPairs[pair].inputColumnName, "RGB Image", "Y Image") : input;

    protected override Tensor Map(int pair, SrImage input, long position) =>
        input.Pixels.mul(1 - Strength).add(input.Pixels.neg().add(1).mul(Strength));

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new Saved(Strength, ColumnPairs[0].outputColumnName, ColumnPairs[0].inputColumnName));
        ctx.SaveTextStream("Notes.txt", "written by a third party");
    }

    public static InvertTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckAtModel(Version);
        var o = ctx.LoadOptions<Saved>();
        if (ctx.LoadTextStream("Notes.txt") != "written by a third party") throw ctx.Error("the notes stream was not read back");
        return new InvertTransformer(o.Strength, o.Output, o.Input);
    }

    public sealed record Saved(double Strength, string Output, string Input);
}

public sealed class InvertEstimator(double strength, string outputColumnName, string inputColumnName)
    : TrivialEstimator<InvertTransformer>(new InvertTransformer(strength, outputColumnName, inputColumnName));

/// <summary>The third party's catalog extension, reaching the context as ML.NET's own packages do.</summary>
public static class InvertCatalog
{
    public static InvertEstimator Invert(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, double strength = 1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new InvertEstimator(strength, outputColumnName, inputColumnName ?? outputColumnName);
    }
}
