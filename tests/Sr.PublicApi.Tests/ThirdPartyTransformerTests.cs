using Sr.MLNet;
using Sr.Models;
using Sr.Torch;
using ThirdParty.Transforms;

namespace Sr.PublicApi.Tests;

public class ThirdPartyTransformerTests
{
    public sealed class Row
    {
        public string Name { get; set; } = "";
        public SrImage? Image { get; set; }
    }

    private static List<Row> Rows()
    {
        torch.manual_seed(11);
        return [new Row { Name = "a", Image = new SrImage(torch.rand(1, 3, 7, 9), ColorSpace.Rgb) }, new Row { Name = "b", Image = new SrImage(torch.rand(1, 3, 5, 6), ColorSpace.Rgb) }];
    }

    private static List<Tensor> Read(SrContext sr, IDataView view, string column)
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
        return result;
    }

    [Fact]
    public void A_third_party_transformer_appended_to_a_chain_saves_and_reloads_with_its_options_and_streams()
    {
        var sr = new SrContext(seed: 1);
        var data = sr.Data.LoadFromEnumerable(Rows());
        var model = sr.Transforms.ModCrop("HR", "Image", scale: 2).Append(sr.Transforms.Invert("Inverted", "HR", strength: 0.75)).Fit(data);
        var expected = Read(sr, model.Transform(data), "Inverted");

        var path = Path.Combine(Path.GetTempPath(), $"thirdparty-{Guid.NewGuid():N}.zip");
        try
        {
            sr.Model.Save(model, data.Schema, path);
            var fresh = new SrContext(seed: 1);
            fresh.ComponentCatalog.Register<InvertTransformer>();
            var loaded = fresh.Model.Load(path, out var schema);
            Assert.Equal(["Name", "Image"], schema.Select(c => c.Name));
            var actual = Read(fresh, loaded.Transform(fresh.Data.LoadFromEnumerable(Rows())), "Inverted");
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++) Assert.True(torch.allclose(expected[i], actual[i], 0, 0));
            Assert.Equal(0.75, ((TransformerChain<ITransformer>)loaded).OfType<InvertTransformer>().Single().Strength);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Without_registration_loading_says_which_transformer_is_missing()
    {
        var sr = new SrContext(seed: 1);
        var data = sr.Data.LoadFromEnumerable(Rows());
        var model = sr.Transforms.Invert("Inverted", "Image").Fit(data);
        using var ms = new MemoryStream();
        sr.Model.Save(model, data.Schema, ms);
        ms.Position = 0;
        var e = Assert.Throws<ModelFormatException>(() => new SrContext().Model.Load(ms, out _));
        Assert.Contains("ThirdPartyInvert", e.Message);
    }

    [Fact]
    public void A_third_party_schema_check_runs_before_data_flows()
    {
        var sr = new SrContext();
        var shape = new SchemaShape([SchemaShape.Column.Image("Y", ImageTransformerBase.WithColorSpace(DataViewSchema.Annotations.Empty, ColorSpace.Y))]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => sr.Transforms.Invert("Out", "Y").GetOutputSchema(shape));
        Assert.StartsWith("Schema mismatch for input column 'Y': expected RGB Image, got Y Image", e.Message);
    }
}
