using Microsoft.ML.Data;
using Sr.Torch;

namespace Sr.MLNet.Mappings;

/// <summary>
/// <c>MLImage</c> (8-bit BGRA or RGBA) ↔ 1×C×H×W float tensors on uint8 levels, C as a decoded file would have it: 1 gray,
/// 2 gray + alpha, 3 RGB, 4 RGBA. ML.NET decodes every file to 4 channels, so gray is recognised by R = G = B at every
/// pixel and alpha by any value below 255 — the same picture <c>sr upscale</c> reads from the file.
/// </summary>
internal static class Photo
{
    public static Tensor ToTensor(MLImage image, string column)
    {
        ArgumentNullException.ThrowIfNull(image, column);
        if (image.PixelFormat is not (MLPixelFormat.Bgra32 or MLPixelFormat.Rgba32))
            throw new InvalidOperationException($"{Name(image, column)}: pixel format {image.PixelFormat} is not supported (Bgra32 or Rgba32).");
        var px = image.Pixels;
        int h = image.Height, w = image.Width, n = h * w;
        int r = image.PixelFormat == MLPixelFormat.Bgra32 ? 2 : 0, b = 2 - r;
        bool gray = true, alpha = false;
        for (int i = 0; i < n && (gray || !alpha); i++)
        {
            int o = 4 * i;
            if (px[o] != px[o + 1] || px[o + 1] != px[o + 2]) gray = false;
            if (px[o + 3] != 255) alpha = true;
        }
        int c = (gray ? 1 : 3) + (alpha ? 1 : 0);
        var planes = new float[c * n];
        for (int i = 0; i < n; i++)
        {
            int o = 4 * i;
            if (gray)
            {
                planes[i] = px[o] / 255f;
            }
            else
            {
                planes[i] = px[o + r] / 255f;
                planes[n + i] = px[o + 1] / 255f;
                planes[2 * n + i] = px[o + b] / 255f;
            }
            if (alpha) planes[(c - 1) * n + i] = px[o + 3] / 255f;
        }
        return torch.tensor(planes, [1, c, h, w]);
    }

    /// <summary>A 1×C×H×W tensor in [0,1] (C = 1…4) as a Bgra32 image: rounded half up and saturated, as ImageTensor.ToHwcUint8.</summary>
    public static MLImage FromTensor(Tensor x, string? tag)
    {
        using var levels = x.to(ScalarType.Float64).mul(255).add(0.5).floor().clamp(0, 255).to(ScalarType.Byte).contiguous();
        var v = levels.data<byte>();
        int c = (int)x.shape[1], h = (int)x.shape[2], w = (int)x.shape[3], n = h * w;
        bool color = c >= 3, alpha = c is 2 or 4;
        var bgra = new byte[4 * n];
        for (int i = 0; i < n; i++)
        {
            int o = 4 * i;
            byte red = v[i], green = color ? v[n + i] : red, blue = color ? v[2 * n + i] : red;
            bgra[o] = blue;
            bgra[o + 1] = green;
            bgra[o + 2] = red;
            bgra[o + 3] = alpha ? v[(c - 1) * n + i] : (byte)255;
        }
        var image = MLImage.CreateFromPixels(w, h, MLPixelFormat.Bgra32, bgra);
        image.Tag = tag;
        return image;
    }

    /// <summary>The colour planes of a 1×C×H×W picture: alpha (C = 2 or 4) dropped.</summary>
    public static Tensor Color(Tensor x)
    {
        long c = x.shape[1];
        return c is 2 or 4 ? x.narrow(1, 0, c - 1) : x;
    }

    /// <summary>The picture as RGB planes, as the evaluator and trainer take it for an RGB network: alpha dropped, gray replicated.</summary>
    public static Tensor Rgb(Tensor x)
    {
        var color = Color(x);
        return color.shape[1] == 1 ? color.expand(1, 3, color.shape[2], color.shape[3]) : color;
    }

    public static string Name(MLImage? image, string column) => image?.Tag is { Length: > 0 } tag ? tag : $"column '{column}'";
}
