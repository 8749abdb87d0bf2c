namespace Sr.Models.Training;

/// <summary>
/// The eight flips/rotations of a square patch (the dihedral group D4) as index maps: bit 0 flips rows, bit 1 flips
/// columns, bit 2 transposes first. Applying the same code to the LR and the HR patch keeps them aligned, because
/// every one of these maps commutes with an aligned s×s downscaling.
/// </summary>
internal static class DihedralTransform
{
    public const int Count = 8;

    /// <summary>Copies the <paramref name="size"/>² window at (top, left) of each of <paramref name="channels"/> planes of
    /// <paramref name="src"/> (C×H×W, row-major) into <paramref name="dst"/> (C×size×size), transformed by <paramref name="code"/>.</summary>
    public static void CropTransformed(float[] src, int channels, int height, int width, int top, int left, int size, int code, Span<float> dst)
    {
        bool flipRows = (code & 1) != 0, flipCols = (code & 2) != 0, transpose = (code & 4) != 0;
        for (int c = 0; c < channels; c++)
        {
            int plane = c * height * width;
            var outPlane = dst.Slice(c * size * size, size * size);
            for (int i = 0; i < size; i++)
            {
                for (int j = 0; j < size; j++)
                {
                    int r = transpose ? j : i, q = transpose ? i : j;
                    if (flipRows) r = size - 1 - r;
                    if (flipCols) q = size - 1 - q;
                    outPlane[i * size + j] = src[plane + (top + r) * width + left + q];
                }
            }
        }
    }
}
