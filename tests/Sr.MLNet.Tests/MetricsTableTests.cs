namespace Sr.MLNet.Tests;

public class MetricsTableTests
{
    private static SuperResolutionMetrics Metrics() => new("rsrnet-sr", "Set5", 3, "y-shave",
        [new ImageMetrics("baby", 510, 510, 35.5, 0.93, 1.5), new ImageMetrics("bird, \"the\"", 288, 288, 34.5, 0.95, 0.5)]);

    [Fact]
    public void Means_are_over_the_images_and_the_table_ends_with_a_mean_row()
    {
        var m = Metrics();
        Assert.Equal(35.0, m.Psnr, 12);
        Assert.Equal(0.94, m.Ssim, 12);
        var t = m.ToTable();
        Assert.Equal(3, t.RowCount);
        Assert.Equal("mean", t[2, "Image"]);
        Assert.Equal(35.0, (double)t[2, "PSNR"]!, 12);
    }

    [Fact]
    public void Csv_is_invariant_full_precision_and_quotes_text_that_needs_it()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            // A culture writing decimal commas (the process runs in invariant-globalization mode, so build one).
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            Thread.CurrentThread.CurrentCulture = comma;
            Assert.Equal("35,5", 35.5.ToString());
            var csv = Metrics().ToTable().ToCsv().Split('\n');
            Assert.Equal("Dataset,Scale,Method,Image,Width,Height,PSNR,SSIM,Seconds", csv[0]);
            Assert.Equal("Set5,3,rsrnet-sr,baby,510,510,35.5,0.93,1.5", csv[1]);
            Assert.Equal("Set5,3,rsrnet-sr,\"bird, \"\"the\"\"\",288,288,34.5,0.95,0.5", csv[2]);
            Assert.Equal("Set5,3,rsrnet-sr,mean,,,35,0.94,2", csv[3]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Text_markdown_and_json_forms_hold_the_same_rows()
    {
        var t = Metrics().ToTable();
        var text = t.ToString().Split('\n');
        Assert.StartsWith("Dataset", text[0]);
        Assert.Contains("35.5000", text[1]);
        Assert.Equal(text[0].IndexOf("PSNR", StringComparison.Ordinal) + 4, text[1].IndexOf("35.5000", StringComparison.Ordinal) + 7); // numbers right-aligned under their header
        var md = t.ToMarkdown().Split('\n');
        Assert.Equal("| Dataset | Scale | Method | Image | Width | Height | PSNR | SSIM | Seconds |", md[0]);
        Assert.Equal("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |", md[1]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(t.ToJson())!.AsArray();
        Assert.Equal(3, json.Count);
        Assert.Equal(34.5, (double)json[1]!["PSNR"]!);
        Assert.Null(json[2]!["Width"]);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused_naming_the_column()
    {
        var t = SuperResolutionMetrics.NewTable();
        var e = Assert.Throws<ArgumentException>(() => t.Append("Set5", 3.0, "m", "i", 1, 1, 1.0, 1.0, 1.0));
        Assert.Contains("'Scale'", e.Message);
    }
}
