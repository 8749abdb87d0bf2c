namespace Sr.Models.Rendering;

/// <summary>
/// A 5×7 bitmap font (uppercase, digits, punctuation) for labels in pictures: no font library or font file is
/// available to the project, and labels ("PSNR 33.66 / SSIM 0.9299") need only this much. Lowercase letters are
/// drawn as uppercase.
/// </summary>
public static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Each glyph's 35 pixels, row-major from the top-left, most significant bit first.</summary>
    private static readonly Dictionary<char, long> Glyphs = new()
    {
        ['A'] = 0x3A31FC631,
        ['B'] = 0x7A31F463E,
        ['C'] = 0x3A308422E,
        ['D'] = 0x7A318C63E,
        ['E'] = 0x7E10F421F,
        ['F'] = 0x7E10F4210,
        ['G'] = 0x3A30BC62F,
        ['H'] = 0x4631FC631,
        ['I'] = 0x38842108E,
        ['J'] = 0x1C4210A4C,
        ['K'] = 0x4654C5251,
        ['L'] = 0x42108421F,
        ['M'] = 0x4775AC631,
        ['N'] = 0x4639ACE31,
        ['O'] = 0x3A318C62E,
        ['P'] = 0x7A31F4210,
        ['Q'] = 0x3A318D64D,
        ['R'] = 0x7A31F5251,
        ['S'] = 0x3E107043E,
        ['T'] = 0x7C8421084,
        ['U'] = 0x46318C62E,
        ['V'] = 0x46318C544,
        ['W'] = 0x4631AD6AA,
        ['X'] = 0x462A22A31,
        ['Y'] = 0x462A21084,
        ['Z'] = 0x7C222221F,
        ['0'] = 0x3A33AE62E,
        ['1'] = 0x11842108E,
        ['2'] = 0x3A211111F,
        ['3'] = 0x7C441062E,
        ['4'] = 0x08CA97C42,
        ['5'] = 0x7E1E0862E,
        ['6'] = 0x1910F462E,
        ['7'] = 0x7C2222108,
        ['8'] = 0x3A317462E,
        ['9'] = 0x3A317844C,
        [' '] = 0x000000000,
        ['.'] = 0x00000018C,
        [','] = 0x000003088,
        [':'] = 0x018C03180,
        ['-'] = 0x0000F8000,
        ['+'] = 0x0084F9080,
        ['='] = 0x001F07C00,
        ['/'] = 0x002222200,
        ['('] = 0x088842082,
        [')'] = 0x208210888,
        ['_'] = 0x00000001F,
        ['%'] = 0x632222263,
        ['x'] = 0x001151151,
        ['?'] = 0x3A2111004,
        ['['] = 0x39084210E,
        [']'] = 0x38421084E,
        ['#'] = 0x295F57D4A,
        ['\''] = 0x108800000,
        ['|'] = 0x108421084,
        ['>'] = 0x208208888,
        ['<'] = 0x088882082,
        ['*'] = 0x009575480,
    };

    /// <summary>True where the glyph of <paramref name="c"/> has ink at (<paramref name="x"/>, <paramref name="y"/>); unknown characters draw as '?'.</summary>
    public static bool Ink(char c, int x, int y)
    {
        c = char.ToUpperInvariant(c);
        if (c == '\u00D7') c = 'x';
        if (!Glyphs.TryGetValue(c, out var bits)) bits = Glyphs['?'];
        int bit = 34 - (y * GlyphWidth + x);
        return ((bits >> bit) & 1) != 0;
    }

    /// <summary>Width in pixels of <paramref name="text"/> at the given scale (one column of spacing between glyphs).</summary>
    public static int MeasureWidth(string text, int scale = 1) => text.Length == 0 ? 0 : (text.Length * (GlyphWidth + 1) - 1) * scale;
}
