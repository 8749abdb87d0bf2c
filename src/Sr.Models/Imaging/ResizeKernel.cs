namespace Sr.Models.Imaging;

/// <summary>The interpolation kernels of MATLAB's imresize.</summary>
public enum ResizeKernel
{
    /// <summary>Keys cubic, a = −0.5, support 4 ('bicubic'); stretched (antialiased) when downscaling.</summary>
    Cubic,

    /// <summary>Triangle, support 2 ('bilinear'); stretched when downscaling.</summary>
    Triangle,

    /// <summary>Box, support 1 ('box'); stretched when downscaling, so it averages.</summary>
    Box,

    /// <summary>Box, support 1, never antialiased ('nearest'): picks one sample.</summary>
    Nearest,
}
