using static Sr.Torch.torch;

namespace Sr.Torch.io;

/// <summary>
/// A decoded image: an H×W×C tensor (uint8 for 8-bit files, int32 holding 0..65535 for 16-bit files), channels
/// gray, RGB or RGBA in that order. Owns <see cref="Pixels"/>.
/// </summary>
public sealed class DecodedImage(Tensor pixels, int bitDepth, string source) : IDisposable
{
    public Tensor Pixels { get; } = pixels;

    /// <summary>8 or 16: the sample depth of the file.</summary>
    public int BitDepth { get; } = bitDepth;

    /// <summary>The path (or name) the image was read from.</summary>
    public string Source { get; } = source;

    public int Height => (int)Pixels.shape[0];
    public int Width => (int)Pixels.shape[1];
    public int Channels => (int)Pixels.shape[2];

    /// <summary>The largest sample value of the file's depth (255 or 65535).</summary>
    public double MaxValue => BitDepth == 16 ? 65535 : 255;

    /// <summary>A new float32 C×H×W tensor in [0, 1] (samples divided by <see cref="MaxValue"/>), as torchvision's <c>to_tensor</c>.</summary>
    public Tensor ToTensor()
    {
        using var chw = Pixels.permute(2, 0, 1);
        using var f = chw.to(ScalarType.Float32);
        return f.div(MaxValue);
    }

    public void Dispose() => Pixels.Dispose();
}
