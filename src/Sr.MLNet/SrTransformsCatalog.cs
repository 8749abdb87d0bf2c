using Microsoft.ML;
using Microsoft.ML.Data;
using Sr.MLNet.Mappings;
using Sr.Models;

namespace Sr.MLNet;

/// <summary>
/// SrMlNet's steps on ML.NET's <see cref="TransformsCatalog"/>: <c>mlContext.Transforms.ConvertToYCbCr(…)</c> and the rest. The
/// output column name comes first and the input defaults to it; scales default to <see cref="SrDefaults.Scale"/>, as in the CLI.
/// Each returns a real <see cref="IEstimator{ITransformer}"/> that composes with ML.NET's own transforms in one <c>Append</c> chain.
/// </summary>
public static class SrTransformsCatalog
{
    /// <summary>The Y channel of an image column (MLImage, e.g. from LoadImages) as the evaluation protocol takes it: MATLAB
    /// rgb2ycbcr on the 8-bit values, rounded; a gray picture is its own Y. With <paramref name="colorSpace"/> RGB: the RGB planes.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The new <see cref="SrImage"/> column.</param>
    /// <param name="inputColumnName">The MLImage column; default: <paramref name="outputColumnName"/>.</param>
    /// <param name="colorSpace">Y (default) or RGB planes (for RGB networks such as btsrn).</param>
    public static SrStepEstimator ConvertToYCbCr(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        ColorSpace colorSpace = ColorSpace.Y) =>
        new(catalog, "ConvertToYCbCr", outputColumnName, SrImageDataViewType.Instance,
            [(inputColumnName ?? outputColumnName, SrColumns.Input, [SchemaShapes.Image])],
            c => colorSpace == ColorSpace.Y
                ? c.CustomMapping(new ImageToYMapping().GetMapping(), ImageToYMapping.Contract)
                : c.CustomMapping(new ImageToRgbMapping().GetMapping(), ImageToRgbMapping.Contract));

    /// <summary>An <see cref="SrImage"/> column back as ML.NET images (MLImage, 8-bit): with <paramref name="chromaColumnName"/> a Y image
    /// takes that picture's Cb/Cr (and alpha) upscaled with MATLAB bicubic (what <c>sr upscale</c> writes); without it a Y image
    /// becomes gray and an RGB image colour.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The new MLImage column.</param>
    /// <param name="inputColumnName">The SrImage column; default: <paramref name="outputColumnName"/>.</param>
    /// <param name="chromaColumnName">An MLImage column whose colour the Y image takes (the LR picture), or null.</param>
    public static SrStepEstimator ConvertToRgb(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        string? chromaColumnName = null) =>
        chromaColumnName is null
            ? new(catalog, "ConvertToRgb", outputColumnName, SchemaShapes.Image,
                [(inputColumnName ?? outputColumnName, SrColumns.Input, [SrImageDataViewType.Instance])],
                c => c.CustomMapping(new ToImageMapping().GetMapping(), ToImageMapping.Contract))
            : new(catalog, "ConvertToRgb", outputColumnName, SchemaShapes.Image,
                [(inputColumnName ?? outputColumnName, SrColumns.Input, [SrImageDataViewType.Instance]), (chromaColumnName, SrColumns.Chroma, [SchemaShapes.Image])],
                c => c.CustomMapping(new MergeChromaMapping().GetMapping(), MergeChromaMapping.Contract));

    /// <summary>Crops the bottom and right of each image to a multiple of the scale (MATLAB's modcrop, as the evaluator does).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The new <see cref="SrImage"/> column.</param>
    /// <param name="inputColumnName">The SrImage column; default: <paramref name="outputColumnName"/>.</param>
    /// <param name="scale">The multiple; default <see cref="SrDefaults.Scale"/>.</param>
    public static SrStepEstimator ModCrop(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, int scale = SrDefaults.Scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        return new(catalog, "ModCrop", outputColumnName, SrImageDataViewType.Instance,
            [(inputColumnName ?? outputColumnName, SrColumns.Input, [SrImageDataViewType.Instance])],
            c => c.CustomMapping(new ModCropMapping().GetMapping(), ModCropMapping.Contract), StepConfig.Format(("scale", scale)));
    }

    /// <summary>LR images from mod-cropped HR images: MATLAB bicubic (BI, default), blur-down (bd), noise (noise:σ), JPEG (jpeg:q) …
    /// (<c>Degradations.Parse</c> names, as <c>sr degrade --degradation</c>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The new <see cref="SrImage"/> column (1/scale of the input's size).</param>
    /// <param name="inputColumnName">The SrImage column (its sides multiples of the scale: ModCrop first); default: <paramref name="outputColumnName"/>.</param>
    /// <param name="scale">The factor; default <see cref="SrDefaults.Scale"/>.</param>
    /// <param name="kind">The degradation; default <see cref="SrDefaults.Degradation"/>.</param>
    /// <param name="seed">Seeds random degradations (mixed with each image's file name).</param>
    public static SrStepEstimator Degrade(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, int scale = SrDefaults.Scale,
        string kind = SrDefaults.Degradation, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        Sr.Models.Imaging.Degradations.Parse(kind); // an unknown name fails here, not on the first row
        return new(catalog, "Degrade", outputColumnName, SrImageDataViewType.Instance,
            [(inputColumnName ?? outputColumnName, SrColumns.Input, [SrImageDataViewType.Instance])],
            c => c.CustomMapping(new DegradeMapping().GetMapping(), DegradeMapping.Contract),
            StepConfig.Format(("scale", scale), ("kind", kind), ("seed", seed)));
    }

    /// <summary>RSRNet's learned down-scaler (RRNet) from a trained rsrnet model file: Y planes → LR planes (sides multiples of the scale: ModCrop first).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The new <see cref="SrImage"/> column (1/scale of the input's size).</param>
    /// <param name="inputColumnName">The Y SrImage column; default: <paramref name="outputColumnName"/>.</param>
    /// <param name="model">A trained rsrnet model file (.srm).</param>
    /// <param name="scale">The factor; default <see cref="SrDefaults.Scale"/>.</param>
    public static ReduceEstimator Reduce(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, string model = "rsrnet.srm",
        int scale = SrDefaults.Scale) => new(catalog, outputColumnName, inputColumnName ?? outputColumnName, model, scale);

    /// <summary>Upscales an image column with a trained model, or trains a registered network in <c>Fit</c>: see <see cref="SuperResolveOptions"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">What to upscale with, and how to train.</param>
    public static SuperResolveEstimator SuperResolve(this TransformsCatalog catalog, SuperResolveOptions options) => new(catalog, options);

    /// <summary>Upscales an image column with a trained model.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The upscaled images.</param>
    /// <param name="inputColumnName">An MLImage column (a photo: chroma kept) or an <see cref="SrImage"/> column; default: <paramref name="outputColumnName"/>.</param>
    /// <param name="model">"default" (embedded), a .srm file or a flat .onnx file.</param>
    /// <param name="scale">The factor; default <see cref="SrDefaults.Scale"/>.</param>
    public static SuperResolveEstimator SuperResolve(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        string model = "default", int scale = SrDefaults.Scale) =>
        new(catalog, new SuperResolveOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName, Model = model, Scale = scale });
}
