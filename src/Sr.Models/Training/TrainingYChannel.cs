using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>
/// Interim, minimal BT.601 luma for the training data (MATLAB rgb2ycbcr on uint8: Y₂₅₅ = 16 + (65.481 R + 128.553 G + 24.966 B)/255,
/// rounded to an integer as MATLAB does for uint8 input, then /255). The imaging branch's YCbCr module replaces it at merge.
/// </summary>
internal static class TrainingYChannel
{
    /// <summary>H×W×C uint8 (RGB, RGBA or gray) → 1×H×W float32 Y in [16/255, 235/255] (gray is taken as R = G = B).</summary>
    public static Tensor FromUint8(Tensor hwc)
    {
        using var scope = torch.NewDisposeScope();
        var rgb = ToRgbFloat255(hwc);
        var y = (rgb.select(0, 0) * 65.481 + rgb.select(0, 1) * 128.553 + rgb.select(0, 2) * 24.966) / 255.0 + 16.0;
        // MATLAB rounds half away from zero (torch.round is half-to-even); Y is positive, so floor(y + 0.5).
        return ((y + 0.5).floor() / 255.0).unsqueeze(0).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>H×W×C uint8 → 3×H×W float32 RGB in [0,1] (alpha dropped, gray replicated).</summary>
    public static Tensor RgbFromUint8(Tensor hwc)
    {
        using var scope = torch.NewDisposeScope();
        return (ToRgbFloat255(hwc) / 255.0).contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor ToRgbFloat255(Tensor hwc)
    {
        var chw = hwc.permute(2, 0, 1).to(ScalarType.Float32);
        long c = chw.shape[0];
        return c switch
        {
            1 => chw.expand(3, chw.shape[1], chw.shape[2]),
            3 => chw,
            4 => chw.narrow(0, 0, 3),
            _ => throw new ArgumentException($"images must have 1, 3 or 4 channels, not {c}"),
        };
    }
}
