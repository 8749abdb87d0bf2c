// Local- and Holistic-Structure Preserving Image Super Resolution via Deep Joint Component Learning (Shi et al., ICME
// 2016): Fig. 1 (conv → deconvolution with pixel placement → HSP conv), Eq. (3) (Shepard normalisation), Eq. (4) (HSP).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// LSP/HSP on the Y channel. LSP: LR features (conv + ReLU) are placed on the HR grid at positions moved away from
/// edges (pixel placement, from the local gradient of the LR image), and a Shepard-normalised deconvolution
/// interpolates them: the same kernel is applied to the placed features and to the indicator map of the placed
/// positions, and the first is divided by the second (Eq. 3). HSP: one convolution with two outputs, the SR image
/// and a boundary map (Eq. 4). <see cref="forward"/> returns the image; <see cref="ForwardWithBoundary"/> both.
/// </summary>
/// <remarks>
/// Our reading (notes §1.3), choices where the paper is silent:
/// <list type="bullet">
/// <item>Order: placement before the normalised deconvolution (the only order consistent with an indicator map).
/// With placement off this is exactly a normalised stride-s transposed convolution.</item>
/// <item>Nominal position of LR pixel i: s·i + ⌊(s−1)/2⌋. Displacement (constant w.r.t. the weights, computed without
/// gradient): g = central-difference gradient of the LR image, m = |g|; where m > τ the pixel moves by
/// −round(r·∇m/|∇m|), r = max(1, ⌊(s−1)/2⌋) HR pixels, i.e. away from the edge crest; positions are clamped to the
/// grid. Collisions add up (values and counts), so the division averages them.</item>
/// <item>Placement by scatter_add with the saved indices: its backward is the gather at the same indices, the
/// paper's "save the original location of the moved pixels for back propagation".</item>
/// <item>Denominator: the same kernel summed over input channels, applied to the indicator map; the kernel starts
/// positive (N(r, r²), as the Shepard-CNN code of the same group) so the denominator stays positive, and is clamped
/// at 1e-4 as a guard. The ratio does not depend on the kernel's overall scale. The bias is added after the division.</item>
/// <item>Sizes: 5×5×64 features, (2s+1)² Shepard kernel to 32 maps, ReLU, 5×5 HSP conv to 2 maps (image, boundary).</item>
/// </list>
/// </remarks>
public sealed class LspHsp : SrNetwork, IBoundaryNetwork
{
    private readonly nn.Conv2d extract;
    private readonly ShepardDeconvolution shepard;
    private readonly nn.Conv2d hsp;

    public LspHsp(int scale, LspHspOptions? options = null) : base(nameof(LspHsp), scale, ColorSpace.Y)
    {
        Options = options ?? new LspHspOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.ShepardChannels);
        ArgumentOutOfRangeException.ThrowIfNegative(Options.BoundaryWeight);
        foreach (var k in new[] { Options.FeatureKernel, Options.HspKernel, ShepardKernel })
            if (k <= 0 || k % 2 == 0) throw new ArgumentException($"LSP/HSP kernel sizes must be odd and positive, got {k}.", nameof(options));
        extract = new nn.Conv2d(1, Options.Features, Options.FeatureKernel, padding: Options.FeatureKernel / 2);
        shepard = new ShepardDeconvolution(Options.Features, Options.ShepardChannels, ShepardKernel);
        hsp = new nn.Conv2d(Options.ShepardChannels, 2, Options.HspKernel, padding: Options.HspKernel / 2);
        RegisterComponents();
    }

    public LspHspOptions Options { get; }

    public double BoundaryWeight => Options.BoundaryWeight;

    private int ShepardKernel => Options.ShepardKernel > 0 ? Options.ShepardKernel : 2 * Scale + 1;

    private int Displacement => Options.PixelPlacement ? Math.Max(1, (Scale - 1) / 2) : 0;

    /// <summary>
    /// HSP and Shepard radii plus the displacement and the nominal offset, in HR pixels → LR pixels (rounded up), plus the
    /// LR-side reach (feature kernel, and 2 for the gradient of the gradient that decides the displacement).
    /// </summary>
    public override int ReceptiveFieldRadius =>
        (Options.HspKernel / 2 + ShepardKernel / 2 + Displacement + Scale + Scale - 1) / Scale + Math.Max(Options.FeatureKernel / 2, 2);

    public override Tensor forward(Tensor lr)
    {
        var (image, boundary) = ForwardWithBoundary(lr);
        boundary.Dispose();
        return image;
    }

    public (Tensor image, Tensor boundary) ForwardWithBoundary(Tensor lr)
    {
        ArgumentNullException.ThrowIfNull(lr);
        using var scope = NewDisposeScope();
        var positions = PlacementIndices(lr);
        // relu_ in place on the outputs of the convolution and of the Shepard layer: their backward passes read their
        // inputs and factors, never these outputs (as nn.ReLU(inplace=True) after a convolution).
        var h = extract.call(lr).relu_().Consume(f => shepard.Forward(f, positions, Scale));
        var maps = h.relu_().Consume(hsp.call);
        var image = maps.narrow(1, 0, 1).MoveToOuterDisposeScope();
        var boundary = maps.narrow(1, 1, 1).MoveToOuterDisposeScope();
        return (image, boundary);
    }

    /// <summary>The image output of the forward as ONNX (the boundary map is not exported: inference needs the image only).</summary>
    internal override string ExportOnnx(OnnxGraphBuilder g, string lr)
    {
        var positions = ExportPlacementIndices(g, lr);
        var h = shepard.ExportOnnx(g, g.Relu(g.Conv(extract, lr)), positions, Scale);
        var maps = g.Conv(hsp, g.Relu(h));
        return g.Slice(maps, [0], [1], [1]);
    }

    /// <summary>
    /// <see cref="PlacementIndices"/> as ONNX, step for step in float32 (central differences with edge padding, magnitudes,
    /// the move decision and Round, half to even as torch.round). The flat index is formed in int64 rather than float64:
    /// every value is an integer by then, so both give the same index.
    /// </summary>
    private string ExportPlacementIndices(OnnxGraphBuilder g, string lr)
    {
        int offset = (Scale - 1) / 2;
        var n = g.ShapeRange(lr, 0, 1);
        var hw = g.ShapeRange(lr, 2, 4);
        var shw = g.Mul(hw, g.Int64(Scale));
        string Dim(string v, long i) => g.Slice(v, [i], [i + 1], [0]);
        string ToFloatScalar(string v) => g.Cast(g.Reshape(v, g.Int64([])), OnnxGraphBuilder.Float);
        string Lattice(long i, long[] shape)
        {
            var count = ToFloatScalar(Dim(hw, i));
            var range = g.Node("Range", [g.Scalar(0f), count, g.Scalar(1f)]);
            return g.Reshape(g.Add(g.Mul(range, (float)Scale), (float)offset), shape);
        }
        var full = g.Concat(0, n, g.Int64(1), hw);
        var rows = g.Node("Expand", [Lattice(0, [1, 1, -1, 1]), full]);
        var cols = g.Node("Expand", [Lattice(1, [1, 1, 1, -1]), full]);
        if (Options.PixelPlacement)
        {
            var gray = Channels == 1 ? lr : g.Node("ReduceMean", [lr], OnnxGraphBuilder.Attr("axes", 1L), OnnxGraphBuilder.Attr("keepdims", 1L));
            var (gx, gy) = ExportCentralDifferences(g, gray);
            var magnitude = g.Node("Sqrt", [g.Add(g.Mul(gx, gx), g.Mul(gy, gy))]);
            var (mx, my) = ExportCentralDifferences(g, magnitude);
            var norm = g.Node("Sqrt", [g.Add(g.Mul(mx, mx), g.Mul(my, my))]);
            var move = g.Cast(g.Node("And", [g.Node("Greater", [magnitude, g.Scalar((float)Options.PlacementThreshold)]), g.Node("Greater", [norm, g.Scalar(1e-12f)])]),
                OnnxGraphBuilder.Float);
            var safe = g.Node("Max", [norm, g.Scalar(1e-12f)]);
            int r = Options.PlacementTowardEdge ? -Displacement : Displacement;
            rows = g.Sub(rows, g.Mul(g.Node("Round", [g.Mul(g.Div(my, safe), (float)r)]), move));
            cols = g.Sub(cols, g.Mul(g.Node("Round", [g.Mul(g.Div(mx, safe), (float)r)]), move));
        }
        var maxIndex = g.Sub(shw, g.Int64(1));
        string ClampToGrid(string v, long axis) =>
            g.Cast(g.Node("Clip", [v, g.Scalar(0f), ToFloatScalar(Dim(maxIndex, axis))]), OnnxGraphBuilder.Int64Type);
        var flat = g.Add(g.Mul(ClampToGrid(rows, 0), Dim(shw, 1)), ClampToGrid(cols, 1));
        return g.Reshape(flat, 0, -1);
    }

    /// <summary><see cref="CentralDifferences"/> as ONNX: Pad mode "edge" is PyTorch's replicate padding.</summary>
    private static (string gx, string gy) ExportCentralDifferences(OnnxGraphBuilder g, string x)
    {
        var p = g.Node("Pad", [x, g.Int64(0, 0, 1, 1, 0, 0, 1, 1)], OnnxGraphBuilder.Attr("mode", "edge"));
        var gx = g.Div(g.Sub(g.Slice(p, [1, 2], [-1, long.MaxValue], [2, 3]), g.Slice(p, [1, 0], [-1, -2], [2, 3])), 2f);
        var gy = g.Div(g.Sub(g.Slice(p, [2, 1], [long.MaxValue, -1], [2, 3]), g.Slice(p, [0, 1], [-2, -1], [2, 3])), 2f);
        return (gx, gy);
    }

    /// <summary>
    /// Pixel placement: for each LR pixel (row-major), its flat index on the s·h × s·w grid. N×(h·w) int64, no gradient.
    /// </summary>
    public Tensor PlacementIndices(Tensor lr)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long n = lr.size(0), h = lr.size(2), w = lr.size(3), sh = h * Scale, sw = w * Scale;
        int offset = (Scale - 1) / 2;
        var rows = (arange(0, h, 1, ScalarType.Float32, lr.device) * Scale + offset).reshape(1, 1, h, 1).expand(n, 1, h, w);
        var cols = (arange(0, w, 1, ScalarType.Float32, lr.device) * Scale + offset).reshape(1, 1, 1, w).expand(n, 1, h, w);
        if (Options.PixelPlacement)
        {
            var gray = lr.size(1) == 1 ? lr.detach() : lr.detach().mean(1, keepdim: true);
            var (gx, gy) = CentralDifferences(gray);
            var magnitude = (gx * gx + gy * gy).sqrt();
            var (mx, my) = CentralDifferences(magnitude);
            var norm = (mx * mx + my * my).sqrt();
            var move = magnitude.gt(Options.PlacementThreshold).logical_and(norm.gt(1e-12)).to(ScalarType.Float32);
            var safe = norm.clamp_min(1e-12);
            int r = Options.PlacementTowardEdge ? -Displacement : Displacement;
            // Away from the crest of |∇x| (against ∇|∇x|), or toward it with PlacementTowardEdge.
            rows = rows - (my / safe * r).round() * move;
            cols = cols - (mx / safe * r).round() * move;
        }
        // Flat index in float64 (exact for any grid), then int64 for scatter_add.
        var qy = rows.clamp(0, sh - 1).to(ScalarType.Float64);
        var qx = cols.clamp(0, sw - 1).to(ScalarType.Float64);
        return (qy * sw + qx).to(ScalarType.Int64).reshape(n, h * w).MoveToOuterDisposeScope();
    }

    /// <summary>(∂/∂x, ∂/∂y) by central differences with replicated borders.</summary>
    private static (Tensor gx, Tensor gy) CentralDifferences(Tensor x)
    {
        var p = F.pad(x, [1, 1, 1, 1], nn.PaddingModes.Replicate);
        long h = x.size(2), w = x.size(3);
        var gx = (p.narrow(3, 2, w).narrow(2, 1, h) - p.narrow(3, 0, w).narrow(2, 1, h)) / 2.0;
        var gy = (p.narrow(2, 2, h).narrow(3, 1, w) - p.narrow(2, 0, h).narrow(3, 1, w)) / 2.0;
        return (gx, gy);
    }

    /// <summary>
    /// Eq. (3): conv(placed features, |W|) / conv(indicator, Σ_c |W|) + b, on the HR grid. The paper's W is used through its
    /// absolute value (our deviation): with signed weights Σ_c W can cross 0 at a tap during training and the division
    /// blows up — the first lsp-hsp runs' loss jumped from 0.06 to 2.07 between steps and ended at Set5 26.5 dB.
    /// </summary>
    public sealed class ShepardDeconvolution : nn.Module
    {
        private readonly nn.Parameter weight;
        private readonly nn.Parameter bias;
        private readonly int _kernel;

        public ShepardDeconvolution(int inputs, int outputs, int kernel) : base(nameof(ShepardDeconvolution))
        {
            _kernel = kernel;
            // Positive start (Shepard-CNN: randn·r + r); the forward pass uses |W|, so the denominator's kernel stays positive. The ratio does not
            // depend on W's overall scale, but Adam's step (≈ lr per weight, whatever the scale) does: at r = 1/(inputs·k²)
            // (6e-4 at ×2) a step of 1e-4 is a sixth of a weight, Σ_c W reached 0 within a few hundred steps and the
            // clamped denominator blew the output up (our first 10-minute run: loss 18, Set5 17 dB). r = 1/k² keeps the
            // same ratio at the start and makes each step a small relative change.
            double r = 1.0 / (kernel * kernel);
            using (var w = randn(outputs, inputs, kernel, kernel) * r + r) weight = new nn.Parameter(w);
            using (var b = zeros(outputs)) bias = new nn.Parameter(b);
            RegisterComponents();
        }

        public Tensor Forward(Tensor features, Tensor positions, int scale)
        {
            using var scope = NewDisposeScope();
            long n = features.size(0), c = features.size(1), h = features.size(2), w = features.size(3);
            long sh = h * scale, sw = w * scale;
            var index = positions.unsqueeze(1);
            // In place on fresh zeros (autograd records scatter_add_ like scatter_add): one HR-sized buffer, not two.
            var placed = zeros([n, c, sh * sw], features.dtype, features.device)
                .scatter_add_(2, index.expand(n, c, h * w), features.reshape(n, c, h * w))
                .Consume(p => p.reshape(n, c, sh, sw));
            var indicator = zeros([n, 1, sh * sw], features.dtype, features.device)
                .scatter_add_(2, index, ones([n, 1, h * w], features.dtype, features.device))
                .Consume(p => p.reshape(n, 1, sh, sw));
            // |W|: with non-negative weights the numerator is at most max|feature| · the denominator, so the ratio is a
            // weighted mean of the placed features and stays bounded wherever the denominator is small.
            var kernel = weight.abs();
            var denominator = indicator.Consume(i => F.conv2d(i, kernel.sum(1, keepdim: true), null, 1, _kernel / 2));
            // The clamp may overwrite the convolution's output only without autograd (clamp's backward reads its input).
            denominator = is_grad_enabled() ? denominator.Consume(d => d.clamp_min(1e-4)) : denominator.clamp_(min: 1e-4);
            // bias + numerator / denominator in one pass (exact; addcdiv's backward reads its two factors, not its output).
            var result = placed.Consume(p => F.conv2d(p, kernel, null, 1, _kernel / 2))
                .Consume(num => addcdiv(bias.reshape(1, -1, 1, 1), num, denominator));
            denominator.Dispose();
            return result.MoveToOuterDisposeScope();
        }

        /// <summary>
        /// <see cref="Forward"/> as ONNX: ScatterElements with reduction "add" (opset 16) onto zeros for the placed features and
        /// the indicator, the two convolutions with |W| and Σ_c|W| (computed by libtorch here, so the constants are the same
        /// floats), the clamp and bias + numerator / denominator.
        /// </summary>
        internal string ExportOnnx(OnnxGraphBuilder g, string features, string positions, int scale)
        {
            long c = weight.size(1);
            var n = g.ShapeRange(features, 0, 1);
            var shw = g.Mul(g.ShapeRange(features, 2, 4), g.Int64(scale));
            var cells = g.Mul(g.Slice(shw, [0], [1], [0]), g.Slice(shw, [1], [2], [0]));
            var index = g.Unsqueeze(positions, 1);
            string Scatter(long channels, string indices, string updates)
            {
                var zeros = g.Node("Expand", [g.Scalar(0f), g.Concat(0, n, g.Int64(channels), cells)]);
                var placed = g.Node("ScatterElements", [zeros, indices, updates], OnnxGraphBuilder.Attr("axis", 2L), OnnxGraphBuilder.Attr("reduction", "add"));
                return g.Reshape(placed, g.Concat(0, n, g.Int64(channels), shw));
            }
            var placed = Scatter(c, g.Node("Expand", [index, g.Int64(1, c, 1)]), g.Reshape(features, 0, c, -1));
            var indicator = Scatter(1, index, g.Node("Expand", [g.Scalar(1f), g.Shape(index)]));
            using var kernel = weight.detach().abs();
            using var kernelSum = kernel.sum(1, keepdim: true);
            var denominator = g.Node("Max", [g.Conv(indicator, g.Initializer("shepard_sum", kernelSum), null, _kernel, padding: _kernel / 2), g.Scalar(1e-4f)]);
            var numerator = g.Conv(placed, g.Initializer("shepard", kernel), null, _kernel, padding: _kernel / 2);
            using var b = bias.detach().reshape(1, -1, 1, 1);
            return g.Add(g.Initializer("shepard_bias", b), g.Div(numerator, denominator));
        }
    }
}
