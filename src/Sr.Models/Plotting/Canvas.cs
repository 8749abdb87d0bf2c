using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Plotting;

/// <summary>An RGB raster (H×W×3 bytes) with the few drawing operations a line plot needs.</summary>
public sealed class Canvas
{
    public Canvas(int width, int height, (byte r, byte g, byte b) background)
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

    /// <summary>Row-major H×W×3 RGB.</summary>
    public byte[] Pixels { get; }

    public (byte r, byte g, byte b) this[int x, int y]
    {
        get
        {
            int i = (y * Width + x) * 3;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

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
        for (int j = Math.Max(0, y); j < Math.Min(Height, y + h); j++)
            for (int i = Math.Max(0, x); i < Math.Min(Width, x + w); i++) SetPixel(i, j, c);
    }

    /// <summary>A line from (x0, y0) to (x1, y1), <paramref name="thickness"/> pixels wide (Bresenham, square pen).</summary>
    public void Line(int x0, int y0, int x1, int y1, (byte r, byte g, byte b) c, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        int lo = -(thickness - 1) / 2, hi = thickness / 2;
        while (true)
        {
            for (int a = lo; a <= hi; a++)
                for (int b = lo; b <= hi; b++) SetPixel(x0 + a, y0 + b, c);
            if (x0 == x1 && y0 == y1) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    public void Rect(int x, int y, int w, int h, (byte r, byte g, byte b) c)
    {
        Line(x, y, x + w - 1, y, c);
        Line(x, y + h - 1, x + w - 1, y + h - 1, c);
        Line(x, y, x, y + h - 1, c);
        Line(x + w - 1, y, x + w - 1, y + h - 1, c);
    }

    /// <summary>Text with its top-left corner at (x, y), in the 5×7 font magnified by <paramref name="scale"/>.</summary>
    public void Text(int x, int y, string text, (byte r, byte g, byte b) c, int scale = 1)
    {
        for (int k = 0; k < text.Length; k++)
        {
            int ox = x + k * BitmapFont.Advance * scale;
            for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                for (int row = 0; row < BitmapFont.GlyphHeight; row++)
                    if (BitmapFont.IsSet(text[k], col, row)) FillRect(ox + col * scale, y + row * scale, scale, scale, c);
        }
    }

    /// <summary>An H×W×3 uint8 tensor of the pixels (owned by the caller).</summary>
    public Tensor ToTensor() => torch.tensor(Pixels, [Height, Width, 3]);

    /// <summary>Writes a PNG atomically (temp + rename).</summary>
    public void WritePng(string path)
    {
        using var t = ToTensor();
        ImageFile.Write(path, t);
    }
}
