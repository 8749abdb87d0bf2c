using Sr.Models;
using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.MLNet.Tests;

/// <summary>A test double: three 3×3 convolutions (receptive radius 3) and a pixel shuffle.</summary>
public sealed class TinyNet : SrNetwork
{
    private readonly nn.Conv2d conv1;
    private readonly nn.Conv2d conv2;
    private readonly nn.Conv2d conv3;

    public TinyNet(int scale, ColorSpace colorSpace = ColorSpace.Y) : base(nameof(TinyNet), scale, colorSpace)
    {
        conv1 = new nn.Conv2d(Channels, 8, 3, padding: 1);
        conv2 = new nn.Conv2d(8, 8, 3, padding: 1);
        conv3 = new nn.Conv2d(8, Channels * scale * scale, 3, padding: 1);
        RegisterComponents();
    }

    public override int ReceptiveFieldRadius => 3;

    public override Tensor forward(Tensor lr)
    {
        using var scope = NewDisposeScope();
        var x = F.relu(conv1.call(lr));
        x = F.relu(conv2.call(x));
        return F.pixel_shuffle(conv3.call(x), Scale).add(0.5).MoveToOuterDisposeScope();
    }
}

/// <summary>A test double: applies any ISuperResolver to an image column (not saveable).</summary>
public sealed class ResolverTransformer(ISuperResolver method, int scale, string output, string input) : ImageTransformerBase((output, input))
{
    protected override ColorSpace? GetOutputColorSpace(int pair, ColorSpace? input) => input;

    protected override Tensor Map(int pair, SrImage input, long position) => method.Upscale(input.Pixels, scale);

    public override void Save(ModelSaveContext ctx) => throw new NotSupportedException();
}

public class ImagingTransformsTests
{
    private readonly SrContext _sr = new(seed: 1);

    private IDataView Set5 => _sr.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5"));

    [Fact]
    public void ConvertToYCbCr_gives_MATLABs_rounded_Y_levels_in_16_to_235()
    {
        var data = _sr.Data.TakeRows(Set5, 1);
        var y = TestData.Images(_sr.Transforms.ConvertToYCbCr("Y", "Image").Fit(data).Transform(data), "Y").Single();
        var rgb = TestData.Images(data, "Image").Single();
        using var expected = ColorConversion.RgbToY(rgb.to(ScalarType.Float64).mul(255).round(), true, 255).div(255).to(ScalarType.Float32);
        Assert.True(allclose(expected, y, 0, 0));
        using var levels = y.to(ScalarType.Float64).mul(255);
        Assert.True(levels.sub(levels.round()).abs().max().item<double>() < 1e-4);
        Assert.InRange(levels.min().item<double>(), 15.999, 235.001);
    }

    [Fact]
    public void Y_and_the_chroma_of_the_same_image_recombine_to_the_image()
    {
        var data = _sr.Data.TakeRows(Set5, 1);
        var pipeline = _sr.Transforms.ConvertToYCbCr("Y", "Image", roundLikeUint8: false).Append(_sr.Transforms.ConvertToRgb("RGB", "Y", chromaColumnName: "Image"));
        var view = pipeline.Fit(data).Transform(data);
        var back = TestData.Images(view, "RGB").Single();
        var rgb = TestData.Images(data, "Image").Single();
        Assert.True(back.sub(rgb).abs().max().item<double>() < 1e-5);
    }

    [Fact]
    public void Degrade_needs_a_mod_crop_to_its_scale_and_says_so_before_data_flows()
    {
        var shape = SchemaShape.Create(Set5.Schema);
        var bad = _sr.Transforms.ModCrop("HR", "Image", scale: 2).Append(_sr.Transforms.Degrade("LR", "HR", scale: 3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => bad.GetOutputSchema(shape));
        Assert.StartsWith("Schema mismatch for input column 'HR': expected Image mod-cropped to a multiple of 3, got Image mod-cropped to 2", e.Message);
    }

    [Fact]
    public void Degrade_is_train_test_only_and_makes_LR_a_third_of_the_mod_cropped_size()
    {
        var data = _sr.Data.TakeRows(Set5, 1); // baby, 512×512 → 510 → 170
        var model = _sr.Transforms.ModCrop("HR", "Image", 3).Append(_sr.Transforms.Degrade("LR", "HR", scale: 3)).Fit(data);
        Assert.Equal(TransformerScope.TrainTest, model.Scopes[1]);
        Assert.Equal([1L, 3, 170, 170], TestData.Images(model.Transform(data), "LR").Single().shape);
        Assert.Null(model.GetModelFor(TransformerScope.Scoring).Transform(data).Schema.GetColumnOrNull("LR"));
    }

    [Fact]
    public void The_pipeline_evaluator_and_the_shared_evaluator_agree_and_reproduce_bicubic_x3_on_Set5()
    {
        var method = new BicubicResolver(ColorSpace.Y);
        var pipeline = _sr.Transforms.ConvertToYCbCr("Y", "Image").Append(_sr.Transforms.ModCrop("HR", "Y", 3)).Append(_sr.Transforms.Degrade("LR", "HR", scale: 3));
        var scored = new ResolverTransformer(method, 3, "SR", "LR").Transform(pipeline.Fit(Set5).Transform(Set5));
        var viaPipeline = _sr.SuperResolution.Evaluate(scored, "HR", "SR", scale: 3, dataset: "Set5");
        var viaEvaluator = _sr.SuperResolution.Evaluate(method, Set5, scale: 3, dataset: "Set5");
        var files = new SrEvaluator().EvaluateFolder(Path.Combine(TestData.SharedData, "Set5"), method, 3);
        Assert.Equal(5, viaPipeline.PerImage.Count);
        Assert.Equal(viaEvaluator.Psnr, viaPipeline.Psnr, 9);
        Assert.Equal(viaEvaluator.Ssim, viaPipeline.Ssim, 9);
        Assert.Equal(files.MeanPsnr, viaEvaluator.Psnr, 9);
        Assert.Equal(30.39, viaPipeline.Psnr, 2); // the published bicubic ×3 Set5 baseline
    }
}
