using Sr.Models.Diagnostics;
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
        if (image.Channels == 3 && image.BitDepth <= 8 && method.ColorSpace == ColorSpace.Y) return UpscaleRgbInStrips(image, method, scale);
        using var converted = ImageTensor.FromDecoded(image, AlphaHandling.Keep);
        var notes = converted.Notes.ToList();
        if (converted.Image.shape[1] is 2 or 4) notes.Add("alpha upscaled with bicubic");
        StageClock.Mark("to float");
        using var scope = torch.NewDisposeScope();
        var up = Upscale(converted.Image, method, scale);
        var hwc = ImageTensor.ToHwcUint8(up).MoveToOuterDisposeScope();
        StageClock.Mark("to uint8");
        return new UpscaledImage(hwc, notes);
    }

    /// <summary>Pixels per strip of the colour conversion and recombination (a few MiB of float64 temporaries each).</summary>
    private const long StripPixels = 1L << 18;

    /// <summary>
    /// An 8-bit RGB picture with a Y-channel method, the same pixels as <c>ToHwcUint8(Upscale(FromDecoded(image)))</c> but in
    /// bounded memory: Y and Cb/Cr are computed in strips of rows (elementwise, so strip by strip is the same arithmetic),
    /// the method runs on the whole Y (a network tiles itself within the memory budget), then Cb/Cr are upscaled and
    /// recombined with the upscaled Y strip by strip (<see cref="MatlabResize.UpscaleRows"/> gives each strip's rows of the
    /// whole-image resize exactly) straight into the 8-bit result.
    /// </summary>
    private static UpscaledImage UpscaleRgbInStrips(DecodedImage image, ISuperResolver method, int scale)
    {
        if (!method.Scales.Contains(scale))
            throw new ArgumentException($"{method.Name} does not support scale ×{scale} (it supports {string.Join(", ", method.Scales.Select(s => "×" + s))}).", nameof(scale));
        var pixels = image.Pixels;
        long h = pixels.size(0), w = pixels.size(1), sh = h * scale, sw = w * scale;
        using var y = torch.empty([1, 1, h, w]);
        using var cbcr = torch.empty([1, 2, h, w]);
        long rows = Math.Max(1, StripPixels / w);
        for (long r0 = 0; r0 < h; r0 += rows)
        {
            using var scope = torch.NewDisposeScope();
            long n = Math.Min(rows, h - r0);
            ColorConversion.RgbBytesToYCbCr(pixels.narrow(0, r0, n).contiguous(), y, cbcr, r0);
            StageClock.Mark("colour");
        }
        var output = torch.empty([sh, sw, 3], ScalarType.Byte);
        try
        {
            using (var ySr = method.Upscale(y, scale))
            {
                StageClock.Mark("network");
                if (ySr.dim() != 4 || ySr.shape[1] != 1 || ySr.shape[2] != sh || ySr.shape[3] != sw)
                    throw new InvalidOperationException($"{method.Name} returned [{string.Join("×", ySr.shape)}] for ×{scale}; expected [1×1×{sh}×{sw}].");
                long outRows = Math.Max(scale, StripPixels / sw);
                for (long o0 = 0; o0 < sh; o0 += outRows)
                {
                    using var scope = torch.NewDisposeScope();
                    long n = Math.Min(outRows, sh - o0);
                    var chroma = MatlabResize.UpscaleRows(cbcr, scale, o0, o0 + n);
                    StageClock.Mark("chroma resize");
                    ColorConversion.YCbCrToRgbBytes(ySr.narrow(2, o0, n).to(ScalarType.Float32).contiguous(), chroma.contiguous(), output.narrow(0, o0, n));
                    StageClock.Mark("colour");
                }
            }
            return new UpscaledImage(output, []);
        }
        catch
        {
            output.Dispose();
            throw;
        }
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
        StageClock.Mark("colour");
        using var y = method.Upscale(luma, scale);
        StageClock.Mark("network");
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
            var ycbcr = ColorConversion.RgbToYCbCr(x.narrow(1, 0, 3));
            StageClock.Mark("colour");
            var cbcr = MatlabResize.Upscale(ycbcr.narrow(1, 1, 2), scale);
            StageClock.Mark("chroma resize");
            color = ColorConversion.YCbCrToRgb(torch.cat([ySr, cbcr], 1)).clamp(0, 1);
            StageClock.Mark("colour");
        }
        if (c is 2 or 4) color = torch.cat([color, MatlabResize.Upscale(x.narrow(1, c - 1, 1), scale).clamp(0, 1)], 1);
        return color.MoveToOuterDisposeScope();
    }
}
