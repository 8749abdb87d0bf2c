using Sr.Models.Rendering;
using Sr.Torch.io;

namespace Sr.Models.Tests;

public class RenderingTests
{
    [Fact]
    public void Glyphs_have_the_ink_they_were_drawn_with()
    {
        // '1' is a vertical stroke in column 2 with a base serif from column 1 to 3.
        Assert.True(BitmapFont.Ink('1', 2, 3));
        Assert.False(BitmapFont.Ink('1', 0, 3));
        Assert.True(BitmapFont.Ink('1', 1, 6) && BitmapFont.Ink('1', 3, 6));
        // '-' is exactly one full row.
        for (int x = 0; x < 5; x++) Assert.True(BitmapFont.Ink('-', x, 3));
        Assert.False(BitmapFont.Ink('-', 2, 2));
        // Lowercase draws as uppercase; unknown characters as '?'.
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 5; x++)
            {
                Assert.Equal(BitmapFont.Ink('P', x, y), BitmapFont.Ink('p', x, y));
                Assert.Equal(BitmapFont.Ink('?', x, y), BitmapFont.Ink('\u20AC', x, y));
            }
        Assert.Equal(2 * (4 * 6 - 1), BitmapFont.MeasureWidth("PSNR", 2));
    }

    [Fact]
    public void Canvas_writes_a_png_of_its_size_with_what_was_drawn()
    {
        var c = new Canvas(40, 20, (255, 255, 255));
        c.FillRect(0, 0, 10, 10, (255, 0, 0));
        c.DrawLine(0, 19, 39, 19, (0, 0, 255));
        c.DrawText(12, 2, "7", (0, 0, 0), scale: 1);
        var path = Path.Combine(Path.GetTempPath(), $"canvas-{Guid.NewGuid():N}.png");
        try
        {
            c.SavePng(path);
            using var img = ImageFile.Read(path);
            Assert.Equal((20, 40, 3), (img.Height, img.Width, img.Channels));
            var px = img.Pixels.data<byte>();
            byte[] At(int x, int y) => px.Skip((y * 40 + x) * 3).Take(3).ToArray();
            Assert.Equal(new byte[] { 255, 0, 0 }, At(5, 5));
            Assert.Equal(new byte[] { 0, 0, 255 }, At(20, 19));
            Assert.Equal(new byte[] { 0, 0, 0 }, At(12, 2));   // top-left of '7' (a full top row)
            Assert.Equal(new byte[] { 255, 255, 255 }, At(30, 10));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
