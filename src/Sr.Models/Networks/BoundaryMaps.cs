using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// Boundary targets for the HSP objective. The paper uses BSDS500 human annotations, which we do not have; where no
/// annotation file exists, the documented fallback is an edge map of the HR image itself.
/// </summary>
public static class BoundaryMaps
{
    /// <summary>
    /// A binary edge map: 1 where the Sobel gradient magnitude of the HR image exceeds <paramref name="threshold"/>.
    /// <paramref name="hr"/>: N×C×H×W in [0,1] (colour is averaged first); returns N×1×H×W float32 in {0, 1}.
    /// The Sobel kernels are divided by 8 (so a unit step gives a magnitude of ½ per side of the edge, a ramp of slope g
    /// gives g); borders are replicated. Unlike human boundaries this marks texture too — a deviation from the paper.
    /// </summary>
    public static Tensor FromEdges(Tensor hr, double threshold = 0.1)
    {
        ArgumentNullException.ThrowIfNull(hr);
        if (hr.dim() != 4) throw new ArgumentException($"FromEdges expects N×C×H×W, got [{string.Join(", ", hr.shape)}].", nameof(hr));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gray = hr.size(1) == 1 ? hr : hr.mean(1, keepdim: true);
        var padded = F.pad(gray, [1, 1, 1, 1], nn.PaddingModes.Replicate);
        var kx = tensor(new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, [1, 1, 3, 3]).to(hr.device) / 8.0;
        var ky = kx.transpose(2, 3);
        var gx = F.conv2d(padded, kx);
        var gy = F.conv2d(padded, ky);
        var magnitude = (gx * gx + gy * gy).sqrt();
        return magnitude.gt(threshold).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
