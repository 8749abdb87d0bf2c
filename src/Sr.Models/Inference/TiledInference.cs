using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Inference;

/// <summary>
/// Whole-image inference around any forward function (libtorch or ONNX Runtime): optional ×8 self-ensemble and optional
/// tiling with context, so every backend runs the same tiling and ensemble and gives the same pixels.
/// </summary>
internal static class TiledInference
{
    /// <summary>
    /// Runs <paramref name="forward"/> (N×C×h×w → N×C×sh×sw) as <paramref name="options"/> asks: self-ensembled when set, and
    /// over LR tiles of <see cref="InferenceOptions.TileSize"/> with <paramref name="overlap"/> pixels of context each side.
    /// Not clamped; the result lives in the caller's dispose scope.
    /// </summary>
    public static Tensor Run(Tensor lr, int scale, int overlap, InferenceOptions options, Func<Tensor, Tensor> forward)
    {
        if (!options.SelfEnsemble) return Tiled(lr, scale, overlap, options.TileSize, forward);
        // The 8 elements of the dihedral group: k quarter turns, with or without a horizontal flip first.
        Tensor? sum = null;
        for (int flip = 0; flip < 2; flip++)
        {
            for (int k = 0; k < 4; k++)
            {
                var x = flip == 1 ? lr.flip(3) : lr;
                x = k == 0 ? x : x.rot90(k, 2, 3);
                var y = Tiled(x, scale, overlap, options.TileSize, forward);
                y = k == 0 ? y : y.rot90(-k, 2, 3);
                y = flip == 1 ? y.flip(3) : y;
                sum = sum is null ? y : sum + y;
            }
        }
        return sum! / 8.0;
    }

    /// <summary>
    /// Tiles of at most <paramref name="tile"/> LR pixels a side, balanced (the image split into equal parts), each run on a
    /// window of the same size: the tile plus <paramref name="pad"/> pixels of context each side, shifted inwards at the image
    /// border (more context there, never less). One input shape for every tile, so libtorch/oneDNN prepare their kernels
    /// once instead of once per border shape, and the result is the whole-image one (context ≥ the receptive-field radius).
    /// </summary>
    private static Tensor Tiled(Tensor lr, int s, int pad, int tile, Func<Tensor, Tensor> forward)
    {
        long h = lr.size(2), w = lr.size(3);
        if (tile == 0 || (h <= tile && w <= tile)) return forward(lr);
        long tileH = Balanced(h, tile), tileW = Balanced(w, tile);
        long winH = Math.Min(h, tileH + 2L * pad), winW = Math.Min(w, tileW + 2L * pad);
        var output = empty([lr.size(0), lr.size(1), h * s, w * s], lr.dtype, lr.device);
        for (long y0 = 0; y0 < h; y0 += tileH)
        {
            for (long x0 = 0; x0 < w; x0 += tileW)
            {
                using var scope = NewDisposeScope();
                long y1 = Math.Min(h, y0 + tileH), x1 = Math.Min(w, x0 + tileW);
                long cy0 = Math.Clamp(y0 - pad, 0, h - winH), cx0 = Math.Clamp(x0 - pad, 0, w - winW);
                var input = lr.narrow(2, cy0, winH).narrow(3, cx0, winW);
                var result = forward(input);
                var core = result.narrow(2, (y0 - cy0) * s, (y1 - y0) * s).narrow(3, (x0 - cx0) * s, (x1 - x0) * s);
                output.narrow(2, y0 * s, (y1 - y0) * s).narrow(3, x0 * s, (x1 - x0) * s).copy_(core);
            }
        }
        return output;
    }

    /// <summary>The side of equal tiles of at most <paramref name="tile"/> that cover <paramref name="length"/>.</summary>
    private static long Balanced(long length, long tile)
    {
        long count = (length + tile - 1) / tile;
        return (length + count - 1) / count;
    }
}
