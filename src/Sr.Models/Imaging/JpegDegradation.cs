using System.Globalization;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// Bicubic downscaling, then JPEG re-encoding of the LR image at a quality (OpenCV's libjpeg encoder and decoder,
/// 4:2:0 for colour). The result is on uint8 levels, necessarily. Deterministic; the seed is unused.
/// </summary>
public sealed class JpegDegradation : IDegradation
{
    public JpegDegradation(int quality, ResizeOptions? downscale = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        Quality = quality;
        Downscale = downscale ?? ResizeOptions.Default;
    }

    public int Quality { get; }
    public ResizeOptions Downscale { get; }
    public string Name => string.Create(CultureInfo.InvariantCulture, $"jpeg:{Quality}");

    public Tensor Apply(Tensor hr, int scale, long seed = 0)
    {
        Degradations.CheckInput(hr, scale);
        long c = hr.shape[1];
        if (c is not (1 or 3)) throw new ArgumentException($"JPEG needs 1 or 3 channels, got {c}.", nameof(hr));
        using var scope = torch.NewDisposeScope();
        var lr = MatlabResize.Downscale(hr, scale, Downscale);
        var images = new Tensor[lr.shape[0]];
        for (int n = 0; n < images.Length; n++)
        {
            var bytes = Sr.Torch.io.ImageFile.Encode(ImageTensor.ToHwcUint8(lr, n), jpegQuality: Quality);
            using var decoded = Sr.Torch.io.ImageFile.Decode(bytes, $"jpeg:{Quality} re-encoding");
            var hwc = decoded.Pixels;
            if (hwc.shape[2] != c) hwc = c == 1 ? hwc.narrow(2, 0, 1) : hwc.expand(hwc.shape[0], hwc.shape[1], 3);
            images[n] = ImageTensor.FromHwcUint8(hwc, lr.dtype).to(lr.device);
        }
        return torch.cat(images, 0).MoveToOuterDisposeScope();
    }
}
