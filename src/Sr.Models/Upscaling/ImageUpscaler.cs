using Sr.Models.Imaging;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Upscaling;

/// <summary>
/// Upscales a decoded picture with any method, keeping what the picture is: colour images keep their chroma
/// (a Y-channel method runs on Y, Cb/Cr are upscaled with MATLAB bicubic, then recombined), gray stays gray,
/// alpha is upscaled with bicubic and kept. This is what `sr upscale` and the pipeline's transformer use.
/// </summary>
public static class ImageUpscaler
{
    public static UpscaledImage Upscale(DecodedImage image, ISuperResolver method, int scale)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(method);
        if (!method.Scales.Contains(scale))
            throw new ArgumentException($"{method.Name} does not support scale ×{scale} (it supports {string.Join(", ", method.Scales.Select(s => "×" + s))}).", nameof(scale));
        using var converted = ImageTensor.FromDecoded(image, AlphaHandling.Keep);
        var notes = converted.Notes.ToList();
        using var scope = torch.NewDisposeScope();
        var x = converted.Image;
        long c = x.shape[1];
        bool hasAlpha = c is 2 or 4;
        var color = hasAlpha ? x.narrow(1, 0, c - 1) : x;
        var output = color.shape[1] == 1 ? UpscaleGray(color, method, scale) : UpscaleColor(color, method, scale);
        if (hasAlpha)
        {
            var alpha = MatlabResize.Upscale(x.narrow(1, c - 1, 1), scale).clamp(0, 1);
            output = torch.cat([output, alpha], 1);
            notes.Add("alpha upscaled with bicubic");
        }
        var hwc = ImageTensor.ToHwcUint8(output).MoveToOuterDisposeScope();
        return new UpscaledImage(hwc, notes);
    }

    private static Tensor UpscaleGray(Tensor gray, ISuperResolver method, int scale)
    {
        if (method.ColorSpace == ColorSpace.Y) return method.Upscale(gray, scale);
        // An RGB method sees the gray image as three equal channels; their mean is the gray result.
        using var rgb = gray.expand(gray.shape[0], 3, gray.shape[2], gray.shape[3]).contiguous();
        using var up = method.Upscale(rgb, scale);
        return up.mean(1, keepdim: true);
    }

    private static Tensor UpscaleColor(Tensor rgb, ISuperResolver method, int scale)
    {
        if (method.ColorSpace == ColorSpace.Rgb) return method.Upscale(rgb, scale);
        using var scope = torch.NewDisposeScope();
        var ycbcr = ColorConversion.RgbToYCbCr(rgb);
        var y = method.Upscale(ycbcr.narrow(1, 0, 1), scale);
        var cbcr = MatlabResize.Upscale(ycbcr.narrow(1, 1, 2), scale);
        return ColorConversion.YCbCrToRgb(torch.cat([y, cbcr], 1)).clamp(0, 1).MoveToOuterDisposeScope();
    }
}
