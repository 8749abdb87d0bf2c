using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// Turns HR images into LR images (BI, BD, DN, JPEG …). Deterministic for a given <paramref name="seed"/>.
/// </summary>
public interface IDegradation
{
    /// <summary>A short name for reports and options files ("bicubic", "blur-down(σ=1.6)", …).</summary>
    string Name { get; }

    /// <summary>
    /// <paramref name="hr"/>: N×C×H×W float32 in [0,1] with H and W multiples of <paramref name="scale"/> (mod-cropped by the caller);
    /// returns N×C×(H/s)×(W/s) float32 (not rounded unless the degradation says so), owned by the caller.
    /// </summary>
    Tensor Apply(Tensor hr, int scale, long seed = 0);
}
