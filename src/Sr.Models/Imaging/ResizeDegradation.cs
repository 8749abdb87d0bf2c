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
        if (!Options.RoundEachPassToUint8) return MatlabResize.Downscale(hr, scale, Options);
        // MATLAB's uint8 passes round at .5 boundaries: in float32 on [0,1], k/255 and the pass sums land a hair off them and
        // round the other way (262 of Set5's ×2 values did). The passes run in float64 on 0..255, as MATLAB's do, on the
        // input's uint8 levels (MATLAB's uint8 rounding only exists for a uint8 image).
        using var scope = torch.NewDisposeScope();
        var levels = ImageTensor.QuantizeToUint8Levels(hr.to(ScalarType.Float64).mul(255 / Options.Peak), 255);
        var lr = MatlabResize.Downscale(levels, scale, Options with { Peak = 255 });
        return lr.mul(Options.Peak / 255).to(hr.dtype).MoveToOuterDisposeScope();
    }
}
