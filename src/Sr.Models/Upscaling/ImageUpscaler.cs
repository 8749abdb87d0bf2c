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
        using var converted = ImageTensor.FromDecoded(image, AlphaHandling.Keep);
        var notes = converted.Notes.ToList();
        if (converted.Image.shape[1] is 2 or 4) notes.Add("alpha upscaled with bicubic");
        using var scope = torch.NewDisposeScope();
        var hwc = ImageTensor.ToHwcUint8(Upscale(converted.Image, method, scale)).MoveToOuterDisposeScope();
        return new UpscaledImage(hwc, notes);
    }

    /// <summary>
    /// The same on a tensor: 1×C×H×W in [0,1] with C = 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA); returns 1×C×sH×sW in [0,1].
    /// </summary>
    public static Tensor Upscale(Tensor x, ISuperResolver method, int scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(method);
        if (!method.Scales.Contains(scale))
            throw new ArgumentException($"{method.Name} does not support scale ×{scale} (it supports {string.Join(", ", method.Scales.Select(s => "×" + s))}).", nameof(scale));
        using var scope = torch.NewDisposeScope();
        long c = x.shape[1];
        bool hasAlpha = c is 2 or 4;
        var color = hasAlpha ? x.narrow(1, 0, c - 1) : x;
        var output = color.shape[1] == 1 ? UpscaleGray(color, method, scale) : UpscaleColor(color, method, scale);
        if (hasAlpha)
        {
            var alpha = MatlabResize.Upscale(x.narrow(1, c - 1, 1), scale).clamp(0, 1);
            output = torch.cat([output, alpha], 1);
        }
        return output.MoveToOuterDisposeScope();
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
        using var luma = LumaOf(rgb);
        using var y = method.Upscale(luma, scale);
        return MergeLuma(rgb, y, scale);
    }

    /// <summary>
    /// What a Y-channel method sees of a picture (1×C×H×W in [0,1], C = 1…4): the picture itself when gray (C = 1 or 2, alpha
    /// dropped), else its Y (MATLAB rgb2ycbcr, not rounded). Returns 1×1×H×W. With <see cref="MergeLuma"/> this is
    /// <see cref="Upscale(Tensor, ISuperResolver, int)"/> split in two, for callers that run the network elsewhere (the
    /// ML.NET pipeline runs it in ONNX Runtime between the two halves).
    /// </summary>
    public static Tensor LumaOf(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        long c = x.shape[1];
        if (c <= 2) return x.narrow(1, 0, 1).contiguous();
        using var scope = torch.NewDisposeScope();
        return ColorConversion.RgbToYCbCr(x.narrow(1, 0, 3)).narrow(1, 0, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The upscaled picture from the original <paramref name="x"/> (1×C×H×W, C = 1…4) and its upscaled Y
    /// <paramref name="ySr"/> (1×1×sH×sW): Cb/Cr and alpha by MATLAB bicubic, recombined and clamped to [0,1]; 1×C×sH×sW.
    /// </summary>
    public static Tensor MergeLuma(Tensor x, Tensor ySr, int scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(ySr);
        long c = x.shape[1];
        if (ySr.shape[1] != 1 || ySr.shape[2] != x.shape[2] * scale || ySr.shape[3] != x.shape[3] * scale)
            throw new ArgumentException($"The upscaled Y is [{string.Join("×", ySr.shape)}]; expected [1×1×{x.shape[2] * scale}×{x.shape[3] * scale}] for ×{scale}.", nameof(ySr));
        using var scope = torch.NewDisposeScope();
        Tensor color;
        if (c <= 2)
        {
            color = ySr.clamp(0, 1);
        }
        else
        {
            var cbcr = MatlabResize.Upscale(ColorConversion.RgbToYCbCr(x.narrow(1, 0, 3)).narrow(1, 1, 2), scale);
            color = ColorConversion.YCbCrToRgb(torch.cat([ySr, cbcr], 1)).clamp(0, 1);
        }
        if (c is 2 or 4) color = torch.cat([color, MatlabResize.Upscale(x.narrow(1, c - 1, 1), scale).clamp(0, 1)], 1);
        return color.MoveToOuterDisposeScope();
    }
}
