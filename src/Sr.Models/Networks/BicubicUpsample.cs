using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// MATLAB's <c>imresize(x, s, 'bicubic')</c> for an integer up-scale s, exactly, as a fixed convolution: the
/// pre-interpolation of SRCNN/VDSR/GLRL and the residual base of BTSRN.
/// </summary>
/// <remarks>
/// Why not <c>F.interpolate(mode: Bicubic)</c>: PyTorch's bicubic uses the Keys kernel with a = −0.75 and clamps
/// border indices (replicate), whereas MATLAB (the papers' preprocessing) uses a = −0.5 and mirrors them
/// (symmetric, edge included). Up-scaling by an integer needs no antialiasing, so every output pixel of phase
/// (p, q) within an s×s cell is a fixed 4×4 weighting of the LR neighbourhood: a 5×5 convolution with s² output
/// channels (one per phase, taps outside the kernel's support are zero) after a 2-pixel symmetric pad, then a
/// pixel shuffle. It costs about as much as <c>F.interpolate</c> and is differentiable in its input.
/// Phase p of output pixel o = s·i + p samples the input at u = (o + ½)/s − ½ = i + t_p, t_p = (p + ½)/s − ½
/// (MATLAB's and align_corners = false's coordinate map).
/// </remarks>
public sealed class BicubicUpsample : nn.Module<Tensor, Tensor>
{
    private readonly Tensor phases;

    public BicubicUpsample(int scale) : base(nameof(BicubicUpsample))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        Scale = scale;
        var w = PhaseWeights(scale);
        var data = new float[scale * scale * 25];
        for (int p = 0; p < scale; p++)
            for (int q = 0; q < scale; q++)
                for (int a = 0; a < 5; a++)
                    for (int b = 0; b < 5; b++)
                        data[((p * scale + q) * 5 + a) * 5 + b] = (float)(w[p][a] * w[q][b]);
        phases = tensor(data, [scale * scale, 1, 5, 5]);
        // A constant of the method, not a weight: kept out of the state dict.
        register_buffer(nameof(phases), phases, persistent: false);
        RegisterComponents();
    }

    public int Scale { get; }

    /// <summary>The Keys cubic kernel with a = −0.5 (MATLAB's <c>cubic</c>).</summary>
    public static double Cubic(double x)
    {
        double ax = Math.Abs(x), ax2 = ax * ax, ax3 = ax2 * ax;
        if (ax <= 1) return 1.5 * ax3 - 2.5 * ax2 + 1;
        if (ax <= 2) return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
        return 0;
    }

    /// <summary>For each phase p, the weights of the input taps i−2 … i+2 (normalised to sum 1 as MATLAB does).</summary>
    public static double[][] PhaseWeights(int scale)
    {
        var result = new double[scale][];
        for (int p = 0; p < scale; p++)
        {
            double t = (p + 0.5) / scale - 0.5;
            var w = new double[5];
            for (int k = -2; k <= 2; k++) w[k + 2] = Cubic(t - k);
            double sum = w.Sum();
            for (int k = 0; k < 5; k++) w[k] /= sum;
            result[p] = w;
        }
        return result;
    }

    public override Tensor forward(Tensor input)
    {
        var shape = input.shape;
        if (shape.Length != 4) throw new ArgumentException($"BicubicUpsample expects N×C×H×W, got [{string.Join(", ", shape)}].", nameof(input));
        if (Scale == 1) return input.alias();
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        using var planes = input.reshape(n * c, 1, h, w);
        using var padded = F.pad(planes, [2, 2, 2, 2], nn.PaddingModes.Symmetric);
        using var phased = F.conv2d(padded, phases);
        using var shuffled = F.pixel_shuffle(phased, Scale);
        return shuffled.reshape(n, c, h * Scale, w * Scale);
    }

    protected override string ExtraRepr() => $"scale={Scale}, a=-0.5, border=symmetric";
}
