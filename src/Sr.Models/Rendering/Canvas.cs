using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Rendering;

/// <summary>An RGB picture in memory (row-major H×W×3 bytes) with the few drawing operations reports need.</summary>
public sealed class Canvas
{
    public Canvas(int width, int height, (byte r, byte g, byte b) background = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major H×W×3 RGB bytes.</summary>
    public byte[] Pixels { get; }

    public void SetPixel(int x, int y, (byte r, byte g, byte b) c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        Pixels[i] = c.r;
        Pixels[i + 1] = c.g;
        Pixels[i + 2] = c.b;
    }

    public void FillRect(int x, int y, int w, int h, (byte r, byte g, byte b) c)
    {
        for (int yy = Math.Max(0, y); yy < Math.Min(Height, y + h); yy++)
            for (int xx = Math.Max(0, x); xx < Math.Min(Width, x + w); xx++)
                SetPixel(xx, yy, c);
    }

    public void DrawRect(int x, int y, int w, int h, (byte r, byte g, byte b) c, int thickness = 1)
    {
        FillRect(x, y, w, thickness, c);
        FillRect(x, y + h - thickness, w, thickness, c);
        FillRect(x, y, thickness, h, c);
        FillRect(x + w - thickness, y, thickness, h, c);
    }

    /// <summary>A straight line (Bresenham), <paramref name="thickness"/> pixels wide.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, (byte r, byte g, byte b) c, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        int half = thickness / 2;
        while (true)
        {
            FillRect(x0 - half, y0 - half, thickness, thickness, c);
            if (x0 == x1 && y0 == y1) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Draws <paramref name="text"/> with the 5×7 bitmap font, each font pixel <paramref name="scale"/>² screen pixels.</summary>
    public void DrawText(int x, int y, string text, (byte r, byte g, byte b) c, int scale = 2)
    {
        for (int i = 0; i < text.Length; i++)
        {
            int gx = x + i * (BitmapFont.GlyphWidth + 1) * scale;
            for (int py = 0; py < BitmapFont.GlyphHeight; py++)
                for (int px = 0; px < BitmapFont.GlyphWidth; px++)
                    if (BitmapFont.Ink(text[i], px, py)) FillRect(gx + px * scale, y + py * scale, scale, scale, c);
        }
    }

    /// <summary>Copies an H×W×C uint8 image (C = 1 or 3; gray is replicated) with its top-left corner at (x, y), clipped.</summary>
    public void Blit(Tensor hwc, int x, int y)
    {
        using var u8 = hwc.dtype == ScalarType.Byte ? hwc.alias() : hwc.to(ScalarType.Byte);
        var shape = u8.shape;
        if (shape.Length != 3 || shape[2] is not (1 or 3 or 4)) throw new ArgumentException("Blit needs an H×W×C uint8 image with 1, 3 or 4 channels.", nameof(hwc));
        int h = (int)shape[0], w = (int)shape[1], ch = (int)shape[2];
        var src = u8.data<byte>();
        for (int yy = 0; yy < h; yy++)
            for (int xx = 0; xx < w; xx++)
            {
                int s = (yy * w + xx) * ch;
                SetPixel(x + xx, y + yy, ch == 1 ? (src[s], src[s], src[s]) : (src[s], src[s + 1], src[s + 2]));
            }
    }

    public Tensor ToTensor() => torch.tensor(Pixels, [Height, Width, 3]);

    /// <summary>Writes the picture as PNG (temp file + rename).</summary>
    public void SavePng(string path)
    {
        using var t = ToTensor();
        ImageFile.Write(path, t);
    }
}
