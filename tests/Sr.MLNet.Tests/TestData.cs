using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet.Tests;

/// <summary>Synthetic rows and the shared data folder.</summary>
public static class TestData
{
    public sealed class ImageRow
    {
        public string Name { get; set; } = "";
        public SrImage? Image { get; set; }
    }

    /// <summary>Rows of seeded random RGB images of the given sizes.</summary>
    public static List<ImageRow> Rows(params (int h, int w)[] sizes)
    {
        torch.manual_seed(7);
        return sizes.Select((s, i) => new ImageRow { Name = $"img{i}", Image = new SrImage(torch.rand(1, 3, s.h, s.w), ColorSpace.Rgb, $"img{i}") }).ToList();
    }

    public static string SharedData
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("SrMlNet.sln not found above " + AppContext.BaseDirectory);
            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        }
    }

    /// <summary>Reads every value of an image column (clones).</summary>
    public static List<Tensor> Images(IDataView view, string column)
    {
        var result = new List<Tensor>();
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<SrImage>(view.Schema[column]);
        SrImage img = null!;
        while (cursor.MoveNext())
        {
            getter(ref img);
            result.Add(img.Pixels.clone().DetachFromDisposeScope());
        }
        img?.Dispose();
        return result;
    }
}

/// <summary>A test double: doubles the pixel values and counts how often it computes.</summary>
public sealed class CountingTransformer(params (string, string)[] columns) : ImageTransformerBase(columns)
{
    public int Calls;

    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) => input;

    protected override Tensor Map(int pair, SrImage input, long position)
    {
        Interlocked.Increment(ref Calls);
        return input.Pixels.mul(2.0);
    }

    public override void Save(ModelSaveContext ctx) => throw new NotSupportedException();
}

public sealed class CountingEstimator(CountingTransformer t) : TrivialEstimator<CountingTransformer>(t);
