// SPSR (Ma et al., CVPR 2020), Eq. 1–2: the gradient map M(I) = ‖∇I‖₂ per pixel, as upstream's fixed-kernel
// Get_gradient_nopadding (branch input and target) and Get_gradient (losses; Maclory/SPSR SPSR_model.py).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// Per channel: v = I(i+1,j) − I(i−1,j), h = I(i,j+1) − I(i,j−1) (zero padding), M = sqrt(v² + h² + 1e−6).
/// The 1e−6 keeps sqrt differentiable where the image is flat. Padding 1 keeps the size (the branch's
/// <c>Get_gradient_nopadding</c>, despite its name); padding 2 grows it by 2 (H+2 × W+2, e.g. 130×130 for a 128 patch),
/// which is what upstream feeds the gradient pixel loss and the gradient discriminator.
/// </summary>
public static class ImageGradient
{
    /// <summary>Padding of upstream's <c>Get_gradient_nopadding</c>: output has the input's size.</summary>
    public const int BranchPadding = 1;

    /// <summary>Padding of upstream's <c>Get_gradient</c> (loss side): output is (H+2)×(W+2).</summary>
    public const int LossPadding = 2;

    public static Tensor Magnitude(Tensor image, int padding)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 4) throw new ArgumentException($"Expected an N×C×H×W image, got [{string.Join(", ", image.shape)}].", nameof(image));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        long c = image.size(1);
        using var scope = NewDisposeScope();
        // Cross-correlation kernels (PyTorch conv2d), vertical then horizontal, one pair per channel (groups = C).
        float[] pair = [0, -1, 0, 0, 0, 0, 0, 1, 0, /* h: */ 0, 0, 0, -1, 0, 1, 0, 0, 0];
        var w = new float[c * 18];
        for (long i = 0; i < c; i++) Array.Copy(pair, 0, w, i * 18, 18);
        var weight = tensor(w, [2 * c, 1, 3, 3]).to(image.dtype, image.device);
        var vh = F.conv2d(image, weight, null, stride: 1, padding: padding, groups: c);
        var shape = vh.shape;
        var m = vh.reshape(shape[0], c, 2, shape[2], shape[3]).square().sum(2).add(1e-6).sqrt();
        return m.MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Magnitude"/> as ONNX for <paramref name="channels"/> channels: the same grouped convolution, then square, sum of the pair, + 1e−6, sqrt.</summary>
    internal static string ExportOnnx(OnnxGraphBuilder g, string image, int channels, int padding)
    {
        float[] pair = [0, -1, 0, 0, 0, 0, 0, 1, 0, /* h: */ 0, 0, 0, -1, 0, 1, 0, 0, 0];
        var w = new float[channels * 18];
        for (int i = 0; i < channels; i++) Array.Copy(pair, 0, w, i * 18, 18);
        var vh = g.Conv(image, g.Initializer("gradient", w, 2 * channels, 1, 3, 3), null, 3, padding: padding, groups: channels);
        var pairs = g.Reshape(vh, g.Concat(0, g.ShapeRange(vh, 0, 1), g.Int64(channels, 2), g.ShapeRange(vh, 2, 4)));
        var sum = g.Node("ReduceSum", [g.Mul(pairs, pairs), g.Int64(2)], OnnxGraphBuilder.Attr("keepdims", 0L));
        return g.Node("Sqrt", [g.Add(sum, 1e-6f)]);
    }
}
