using Sr.Torch;

namespace Sr.Models.Upscaling;

/// <summary>An upscaled picture ready to write: H×W×C uint8 (C as the input: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), with notes on conversions.</summary>
public sealed record UpscaledImage(Tensor Pixels, IReadOnlyList<string> Notes) : IDisposable
{
    public void Dispose() => Pixels.Dispose();
}
