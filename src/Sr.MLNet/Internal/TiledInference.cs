using Sr.Models.Networks;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// Runs a network on an LR image in tiles so large images fit in memory. Each tile is cut with a margin of the
/// network's receptive-field radius (plus <see cref="ExtraMargin"/>) on every side that is not the image border, and only
/// its centre is kept, so every output pixel sees the same input pixels as in a whole-image pass: the result equals the
/// untiled one up to float rounding (the tests bound it by 1e-5).
/// </summary>
internal static class TiledInference
{
    /// <summary>Margin beyond the declared radius, for networks whose radius is an estimate.</summary>
    public const int ExtraMargin = 2;

    /// <param name="tileSize">Tile side in LR pixels; 0 or a size covering the image: one pass.</param>
    public static Tensor Run(SrNetwork network, Tensor lr, int tileSize)
    {
        int s = network.Scale;
        long h = lr.size(2), w = lr.size(3);
        if (tileSize <= 0 || (h <= tileSize && w <= tileSize)) return network.call(lr);
        int m = network.ReceptiveFieldRadius + ExtraMargin;
        var rows = new List<Tensor>();
        using var scope = torch.NewDisposeScope();
        for (long y0 = 0; y0 < h; y0 += tileSize)
        {
            long y1 = Math.Min(h, y0 + tileSize);
            var row = new List<Tensor>();
            for (long x0 = 0; x0 < w; x0 += tileSize)
            {
                long x1 = Math.Min(w, x0 + tileSize);
                long ty0 = Math.Max(0, y0 - m), ty1 = Math.Min(h, y1 + m), tx0 = Math.Max(0, x0 - m), tx1 = Math.Min(w, x1 + m);
                var tile = lr.narrow(2, ty0, ty1 - ty0).narrow(3, tx0, tx1 - tx0).contiguous();
                var sr = network.call(tile);
                row.Add(sr.narrow(2, (y0 - ty0) * s, (y1 - y0) * s).narrow(3, (x0 - tx0) * s, (x1 - x0) * s));
            }
            rows.Add(torch.cat(row, 3));
        }
        return torch.cat(rows, 2).MoveToOuterDisposeScope();
    }
}
