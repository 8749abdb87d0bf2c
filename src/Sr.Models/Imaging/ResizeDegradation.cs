using System.Globalization;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// BI: MATLAB imresize(hr, 1/s) (bicubic by default; RSRNet's Table 1 also degrades with nearest and bilinear).
/// Float in, float out, no rounding (SRCNN's demo works in single precision) unless the options ask for MATLAB's uint8 passes.
/// </summary>
public sealed class ResizeDegradation(ResizeOptions? options = null) : IDegradation
{
    public static ResizeDegradation Bicubic { get; } = new();

    public ResizeOptions Options { get; } = options ?? ResizeOptions.Default;

    public string Name => Options.Kernel switch
    {
        ResizeKernel.Cubic => "bicubic",
        ResizeKernel.Triangle => "bilinear",
        ResizeKernel.Box => "box",
        _ => "nearest",
    } + (Options.Border == ResizeBorder.Replicate ? "-replicate" : "") + (Options.RoundEachPassToUint8 ? "-uint8" : "");

    public Tensor Apply(Tensor hr, int scale, long seed = 0)
    {
        Degradations.CheckInput(hr, scale);
        return MatlabResize.Downscale(hr, scale, Options);
    }
}
