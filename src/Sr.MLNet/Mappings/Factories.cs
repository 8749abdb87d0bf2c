using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Sr.Models;
using Sr.Models.Imaging;
using Sr.Models.Upscaling;
using Sr.Torch;

namespace Sr.MLNet.Mappings;

// SrMlNet's stateless row mappings, each ML.NET CustomMapping factory found by its contract name when a model is loaded
// (after ComponentCatalog.RegisterAssembly(typeof(SrImage).Assembly)). Settings come from the step's config column; weights
// never pass through here (they are an ONNX model inside ML.NET's OnnxTransformer). Each does exactly what the CLI's code
// path does, through the same Sr.Models functions.
#pragma warning disable CS1591

/// <summary>The base of SrMlNet's mapping factories: registers SrMlNet's column types before ML.NET reads the row classes.</summary>
public abstract class SrMapping<TIn, TOut> : CustomMappingFactory<TIn, TOut> where TIn : class, new() where TOut : class, new()
{
    protected SrMapping() => SrTypes.Register();

    protected static SrImage Need(SrImage? image, string step) =>
        image ?? throw new InvalidOperationException($"{step}: the input image is missing (a null value in the input column).");

    protected static MLImage Need(MLImage? image, string step) =>
        image ?? throw new InvalidOperationException($"{step}: the input image is missing (a null value in the input column; did LoadImages fail?).");
}

/// <summary>A constant column for ML.NET's Expression transform to read (it needs an input column of a primitive type).</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class AnchorMapping : SrMapping<NoColumns, AnchorRow>
{
    public const string Contract = "SrMlNet.Anchor";
    public override Action<NoColumns, AnchorRow> GetMapping() => (_, o) => o.Anchor = 0;
}

/// <summary>ConvertToYCbCr: the Y of an 8-bit picture as the evaluation protocol takes it (MATLAB rgb2ycbcr, rounded; gray is its own Y).</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class ImageToYMapping : SrMapping<PhotoRow, SrImageOutput>
{
    public const string Contract = "SrMlNet.ImageToY";
    public override Action<PhotoRow, SrImageOutput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "ConvertToYCbCr");
        using var scope = torch.NewDisposeScope();
        var color = Photo.Color(Photo.ToTensor(image, SrColumns.Input));
        // On the 0..255 scale in float64, then /255 to float32: exactly the evaluator's arithmetic (SrEvaluator), so the pipeline's
        // LR images are bit-identical to `sr eval`'s (a float32 conversion differs in the last bit and can flip a rounded pixel).
        var levels = color.to(ScalarType.Float64).mul(255).round();
        var y = color.shape[1] == 1 ? levels : ColorConversion.RgbToY(levels, roundLikeUint8: true, peak: 255);
        o.Output = SrImage.FromTensor(y.div(255).to(ScalarType.Float32), ColorSpace.Y, image.Tag);
    };
}

/// <summary>ConvertToYCbCr with RGB planes (for RGB networks): the 8-bit values, gray replicated, alpha dropped.</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class ImageToRgbMapping : SrMapping<PhotoRow, SrImageOutput>
{
    public const string Contract = "SrMlNet.ImageToRgb";
    public override Action<PhotoRow, SrImageOutput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "ConvertToSrImage");
        using var scope = torch.NewDisposeScope();
        o.Output = SrImage.FromTensor(Photo.Rgb(Photo.ToTensor(image, SrColumns.Input)), ColorSpace.Rgb, image.Tag);
    };
}

/// <summary>ConvertToRgb without a chroma source: a Y image becomes a gray picture, an RGB image a colour one.</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class ToImageMapping : SrMapping<SrImageRow, PhotoOutput>
{
    public const string Contract = "SrMlNet.ToImage";
    public override Action<SrImageRow, PhotoOutput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "ConvertToRgb");
        using var scope = torch.NewDisposeScope();
        o.Output = Photo.FromTensor(image.ToTensor().clamp(0, 1), image.Source);
    };
}

/// <summary>ConvertToRgb with a chroma source: the upscaled Y with the original picture's Cb/Cr (and alpha) by MATLAB bicubic.</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class MergeChromaMapping : SrMapping<SrImageChromaRow, PhotoOutput>
{
    public const string Contract = "SrMlNet.MergeChroma";
    public override Action<SrImageChromaRow, PhotoOutput> GetMapping() => (i, o) =>
    {
        var y = Need(i.Input, "ConvertToRgb");
        var chroma = Need(i.Chroma, "ConvertToRgb");
        if (y.ColorSpace != ColorSpace.Y)
            throw new InvalidOperationException($"ConvertToRgb: {y} is not a Y image; only a Y image takes its chroma from a picture.");
        if (y.Height % chroma.Height != 0 || y.Width % chroma.Width != 0 || y.Height / chroma.Height != y.Width / chroma.Width)
            throw new InvalidOperationException($"ConvertToRgb: {y} is not an integer multiple of the chroma picture {Photo.Name(chroma, SrColumns.Chroma)} ({chroma.Width}×{chroma.Height}).");
        using var scope = torch.NewDisposeScope();
        var merged = ImageUpscaler.MergeLuma(Photo.ToTensor(chroma, SrColumns.Chroma), y.ToTensor(), y.Height / chroma.Height);
        o.Output = Photo.FromTensor(merged, chroma.Tag);
    };
}

/// <summary>ModCrop: bottom/right cropped to a multiple of the scale (MATLAB's modcrop; the evaluator's).</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class ModCropMapping : SrMapping<SrImageConfigRow, SrImageOutput>
{
    public const string Contract = "SrMlNet.ModCrop";
    public override Action<SrImageConfigRow, SrImageOutput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "ModCrop");
        int scale = StepConfig.Int(StepConfig.Parse(i.Config), "scale", i.Config);
        if (image.Height < scale || image.Width < scale)
            throw new InvalidOperationException($"ModCrop: {image} is smaller than the scale {scale}.");
        using var scope = torch.NewDisposeScope();
        o.Output = SrImage.FromTensor(ImageTensor.ModCrop(image.ToTensor(), scale), image.ColorSpace, image.Source);
    };
}

/// <summary>
/// Degrade: an LR image from a mod-cropped HR image with a named degradation (Degradations.Parse: bicubic, bd, noise:σ, jpeg:q, …).
/// Random degradations are seeded with the step's seed mixed with the image's file name, so a row's LR does not depend on
/// its position (a CustomMapping does not see it); <c>sr eval</c> seeds by image index instead.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class DegradeMapping : SrMapping<SrImageConfigRow, SrImageOutput>
{
    public const string Contract = "SrMlNet.Degrade";
    public override Action<SrImageConfigRow, SrImageOutput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "Degrade");
        var settings = StepConfig.Parse(i.Config);
        int scale = StepConfig.Int(settings, "scale", i.Config);
        var degradation = Degradations.Parse(StepConfig.Text(settings, "kind", i.Config));
        long seed = StepConfig.Int(settings, "seed", i.Config);
        if (image.Height % scale != 0 || image.Width % scale != 0)
            throw new InvalidOperationException($"Degrade: {image} is not a multiple of the scale {scale}; add ModCrop(scale: {scale}) before Degrade.");
        using var scope = torch.NewDisposeScope();
        var lr = degradation.Apply(image.ToTensor(), scale, seed ^ StableHash(image.Source));
        o.Output = SrImage.FromTensor(lr, image.ColorSpace, image.Source);
    };

    private static long StableHash(string? source)
    {
        ulong h = 14695981039346656037UL;
        foreach (char ch in Path.GetFileName(source ?? "")) h = (h ^ ch) * 1099511628211UL;
        return (long)(h >> 1);
    }
}

/// <summary>An SrImage as the flat input of an SrMlNet ONNX network.</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class ToFlatMapping : SrMapping<SrImageConfigRow, FlatInput>
{
    public const string Contract = "SrMlNet.ToFlat";
    public override Action<SrImageConfigRow, FlatInput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "SuperResolve");
        int channels = StepConfig.Int(StepConfig.Parse(i.Config), "channels", i.Config);
        if (image.Channels != channels)
            throw new InvalidOperationException($"SuperResolve: {image} has {image.Channels} channel(s), but the network takes {(channels == 1 ? "Y (1)" : "RGB (3)")}; " +
                $"convert with ConvertToYCbCr{(channels == 1 ? "" : "(colorSpace: Rgb)")} first.");
        o.Pixels = image.Pixels;
        o.Hw = [image.Height, image.Width];
    };
}

/// <summary>An SrMlNet ONNX network's flat output as an SrImage in the input's colour space.</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class FromFlatMapping : SrMapping<FlatResultRow, SrImageOutput>
{
    public const string Contract = "SrMlNet.FromFlat";
    public override Action<FlatResultRow, SrImageOutput> GetMapping() => (i, o) =>
    {
        var input = Need(i.Input, "SuperResolve");
        int h = checked((int)i.OutHw[0]), w = checked((int)i.OutHw[1]);
        o.Output = new SrImage(i.Out, input.Channels, h, w, input.ColorSpace, input.Source);
    };
}

/// <summary>A picture as the flat input of a Y network: its Y (ImageUpscaler.LumaOf, as <c>sr upscale</c>).</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class PhotoToFlatYMapping : SrMapping<PhotoRow, FlatInput>
{
    public const string Contract = "SrMlNet.PhotoToFlatY";
    public override Action<PhotoRow, FlatInput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "SuperResolve");
        using var scope = torch.NewDisposeScope();
        using var y = ImageUpscaler.LumaOf(Photo.ToTensor(image, SrColumns.Input)).contiguous();
        o.Pixels = y.data<float>();
        o.Hw = [image.Height, image.Width];
    };
}

/// <summary>A picture as the flat input of an RGB network: its RGB planes (gray replicated, alpha dropped).</summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class PhotoToFlatRgbMapping : SrMapping<PhotoRow, FlatInput>
{
    public const string Contract = "SrMlNet.PhotoToFlatRgb";
    public override Action<PhotoRow, FlatInput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "SuperResolve");
        using var scope = torch.NewDisposeScope();
        using var rgb = Photo.Rgb(Photo.ToTensor(image, SrColumns.Input)).contiguous();
        o.Pixels = rgb.data<float>();
        o.Hw = [image.Height, image.Width];
    };
}

/// <summary>
/// The upscaled picture from a network's flat output and the original picture, as ImageUpscaler does it: a Y result takes the
/// picture's Cb/Cr by MATLAB bicubic; an RGB result of a gray picture is averaged back to gray; alpha is upscaled by bicubic.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class FlatToPhotoMapping : SrMapping<PhotoResultRow, PhotoOutput>
{
    public const string Contract = "SrMlNet.FlatToPhoto";
    public override Action<PhotoResultRow, PhotoOutput> GetMapping() => (i, o) =>
    {
        var image = Need(i.Input, "SuperResolve");
        int h = checked((int)i.OutHw[0]), w = checked((int)i.OutHw[1]);
        int channels = i.Out.Length / (h * w), scale = h / image.Height;
        using var scope = torch.NewDisposeScope();
        var x = Photo.ToTensor(image, SrColumns.Input);
        var result = torch.tensor(i.Out, [1, channels, h, w]);
        Tensor merged;
        if (channels == 1)
        {
            merged = ImageUpscaler.MergeLuma(x, result, scale);
        }
        else
        {
            long c = x.shape[1];
            merged = c <= 2 ? result.mean([1], keepdim: true) : result;
            if (c is 2 or 4) merged = torch.cat([merged, MatlabResize.Upscale(x.narrow(1, c - 1, 1), scale).clamp(0, 1)], 1);
        }
        o.Output = Photo.FromTensor(merged, image.Tag);
    };
}
