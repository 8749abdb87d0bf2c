namespace Sr.Models.Imaging;

/// <summary>Options of <see cref="MatlabResize"/>; the defaults are MATLAB's imresize(x, s, 'bicubic') on double input.</summary>
public sealed record ResizeOptions
{
    public static ResizeOptions Default { get; } = new();

    public ResizeKernel Kernel { get; init; } = ResizeKernel.Cubic;

    public ResizeBorder Border { get; init; } = ResizeBorder.Symmetric;

    /// <summary>Stretch the kernel when downscaling (MATLAB's 'Antialiasing', true by default; <see cref="ResizeKernel.Nearest"/> never is).</summary>
    public bool Antialias { get; init; } = true;

    /// <summary>
    /// Round to uint8 levels (half away from zero) and saturate after each pass, as MATLAB does on uint8 input. The tensor's
    /// scale is given by <see cref="Peak"/>.
    /// </summary>
    public bool RoundEachPassToUint8 { get; init; }

    /// <summary>The value that stands for 255 when rounding to uint8 levels: 1 for [0,1] tensors, 255 for 0..255 tensors.</summary>
    public double Peak { get; init; } = 1.0;
}
