namespace Sr.MLNet;

/// <summary>
/// The image and SR steps of <c>sr.Transforms</c> (ML.NET's <c>ImageEstimatorsCatalog</c>): output column first, input
/// column defaulting to it, a flat overload and, where there are many settings, an <c>Options</c> overload.
/// </summary>
public static partial class ImageEstimatorsCatalog
{
    /// <summary>Decodes the files named by a text column (paths relative to <paramref name="imageFolder"/>) into RGB images.</summary>
    public static LoadImagesEstimator LoadImages(this TransformsCatalog catalog, string outputColumnName, string? imageFolder = null, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LoadImagesEstimator(imageFolder, (outputColumnName, inputColumnName ?? outputColumnName));
    }

    /// <summary>Crops to multiples of <paramref name="scale"/> (top-left kept).</summary>
    public static ModCropEstimator ModCrop(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, int scale = 4)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ModCropEstimator(scale, (outputColumnName, inputColumnName ?? outputColumnName));
    }

    /// <summary>Random flips/rotations, the same for all <paramref name="columnNames"/> of a row (in place); training-only.</summary>
    public static AugmentEstimator Augment(this TransformsCatalog catalog, string[] columnNames, bool flips = true, bool rotations = true, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(columnNames);
        return new AugmentEstimator(seed ?? catalog.Environment.EffectiveSeed, flips, rotations, columnNames.Select(c => (c, c)).ToArray());
    }
}

public static partial class ImageEstimatorsCatalog
{
    /// <summary>
    /// Aligned LR/HR patch pairs: <paramref name="patchSize"/>² LR pixels every <paramref name="stride"/> LR pixels, HR
    /// patches <paramref name="scale"/> times larger at the same place. One row per pair; training-only.
    /// </summary>
    public static ExtractPatchesEstimator ExtractPatches(this TransformsCatalog catalog, string lrPatchColumnName, string hrPatchColumnName,
        string lrColumnName, string hrColumnName, int scale, int patchSize = 32, int stride = 16)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ExtractPatchesEstimator(lrPatchColumnName, hrPatchColumnName, lrColumnName, hrColumnName, patchSize, stride, scale);
    }
}

public static partial class ImageEstimatorsCatalog
{
    /// <summary>Trains RSRNet on HR images and returns its learned down-scaler (HR Y → quantised LR Y).</summary>
    public static ReduceEstimator Reduce(this TransformsCatalog catalog, string outputColumnName = "LR", string inputColumnName = "HR", int scale = 2,
        long? maxSteps = null, TimeSpan? maxDuration = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Reduce(new ReduceEstimator.Options { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Scale = scale, MaxSteps = maxSteps, MaxDuration = maxDuration });
    }

    public static ReduceEstimator Reduce(this TransformsCatalog catalog, ReduceEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ReduceEstimator(options) { Seed = catalog.Environment.EffectiveSeed };
    }
}
