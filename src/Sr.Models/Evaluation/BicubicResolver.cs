using Sr.Models.Imaging;
using Sr.Torch;

namespace Sr.Models.Evaluation;

/// <summary>The bicubic baseline: MATLAB imresize(lr, s, 'bicubic') on Y or on RGB, clamped to [0,1] (not rounded).</summary>
public sealed class BicubicResolver(ColorSpace colorSpace = ColorSpace.Y, ResizeOptions? options = null) : ISuperResolver
{
    public string Name => "bicubic";
    public ColorSpace ColorSpace { get; } = colorSpace;
    public ResizeOptions Options { get; } = options ?? ResizeOptions.Default;

    /// <summary>Any integer scale works; these are the ones reports use.</summary>
    public IReadOnlyList<int> Scales { get; } = [2, 3, 4, 5, 6, 8];

    public Tensor Upscale(Tensor lr, int scale)
    {
        ArgumentNullException.ThrowIfNull(lr);
        if (scale < 1) throw new ArgumentException($"Bicubic upscaling needs a scale ≥ 1, got {scale}.", nameof(scale));
        int want = ColorSpace == ColorSpace.Y ? 1 : 3;
        if (lr.dim() != 4 || lr.shape[1] != want)
            throw new ArgumentException($"bicubic ({ColorSpace}) takes N×{want}×h×w input, got [{string.Join("×", lr.shape)}].", nameof(lr));
        using var scope = torch.NewDisposeScope();
        return MatlabResize.Upscale(lr, scale, Options).clamp(0, 1).MoveToOuterDisposeScope();
    }
}
