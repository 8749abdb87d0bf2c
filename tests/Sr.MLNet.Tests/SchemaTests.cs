namespace Sr.MLNet.Tests;

public class SchemaTests
{
    private readonly SrContext _sr = new(seed: 1);

    [Fact]
    public void A_text_column_where_an_image_is_expected_fails_with_MLNets_message_before_data_flows()
    {
        var counting = new CountingTransformer(("Doubled", "Image"));
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((6, 6)));
        var pipeline = new CountingEstimator(counting).Append(_sr.Transforms.ModCrop("HR", "Name", scale: 3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
        Assert.StartsWith("Schema mismatch for input column 'Name': expected Image, got String", e.Message);
        Assert.Equal(0, counting.Calls);
    }

    [Fact]
    public void A_missing_column_is_named()
    {
        var shape = SchemaShape.Create(_sr.Data.LoadFromEnumerable(TestData.Rows((6, 6))).Schema);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _sr.Transforms.ModCrop("HR", "LR", 3).GetOutputSchema(shape));
        Assert.StartsWith("Could not find input column 'LR'", e.Message);
    }

    [Fact]
    public void GetOutputSchema_chains_columns_and_annotations_through_the_pipeline()
    {
        var shape = SchemaShape.Create(_sr.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5")).Schema);
        var output = _sr.Transforms.ModCrop("HR", "Image", scale: 3).Append(_sr.Transforms.ModCrop("HR4", "HR", scale: 4)).GetOutputSchema(shape);
        Assert.True(output.TryFindColumn("HR4", out var hr4));
        Assert.True(hr4.IsImage);
        Assert.Equal("Rgb", hr4.Annotations.TryGetValue<string>(AnnotationKinds.ColorSpace, out var cs) ? cs : null);
        Assert.True(hr4.Annotations.TryGetValue<int>(AnnotationKinds.ModCrop, out var m) && m == 4);
    }

    [Fact]
    public void A_column_of_the_same_name_hides_the_earlier_one()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((7, 7)));
        var view = _sr.Transforms.ModCrop("Image", scale: 3).Fit(data).Transform(data);
        Assert.True(view.Schema[1].IsHidden);
        Assert.Equal(6, TestData.Images(view, "Image").Single().shape[2]);
    }
}
