namespace Sr.MLNet;

public static partial class ImageEstimatorsCatalog
{
    /// <summary>RGB → Y (BT.601, MATLAB rgb2ycbcr), rounded to 8-bit levels by default as the evaluation protocol.</summary>
    public static TrivialEstimator<ConvertToYCbCrTransformer> ConvertToYCbCr(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, bool roundLikeUint8 = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Trivial<ConvertToYCbCrTransformer>(new ConvertToYCbCrTransformer(roundLikeUint8, (outputColumnName, inputColumnName ?? outputColumnName)));
    }

    /// <summary>Y (+ bicubic-resized chroma of <paramref name="chromaColumnName"/>) → RGB.</summary>
    public static TrivialEstimator<ConvertToRgbTransformer> ConvertToRgb(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, string? chromaColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Trivial<ConvertToRgbTransformer>(new ConvertToRgbTransformer(outputColumnName, inputColumnName ?? outputColumnName, chromaColumnName));
    }

    /// <summary>RGB → gray RGB (BT.601 luma in every channel).</summary>
    public static TrivialEstimator<ConvertToGrayscaleTransformer> ConvertToGrayscale(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Trivial<ConvertToGrayscaleTransformer>(new ConvertToGrayscaleTransformer((outputColumnName, inputColumnName ?? outputColumnName)));
    }

    /// <summary>HR → LR with a degradation: "bicubic" (BI), "bd", "dn", "jpeg:q" …; train-and-test only by default.</summary>
    public static DegradeEstimator Degrade(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, int scale = DegradeEstimator.Defaults.Scale,
        string kind = DegradeEstimator.Defaults.Kind, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DegradeEstimator(new DegradeEstimator.Options { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Scale = scale, Kind = kind, Seed = seed });
    }

    public static DegradeEstimator Degrade(this TransformsCatalog catalog, DegradeEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DegradeEstimator(options);
    }

    private sealed class Trivial<T>(T transformer) : TrivialEstimator<T>(transformer) where T : class, ITransformer;
}
