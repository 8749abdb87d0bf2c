using System.Numerics;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// The inner loop of <see cref="MatlabResize"/>: one separable pass that applies a plan's sparse weight rows
/// (<see cref="MatlabResize.ResizeTaps"/>) along one dimension, in double precision, on the thread pool.
/// </summary>
internal static class ResizePass
{
    /// <summary>
    /// One pass: outputs <paramref name="from"/>..<paramref name="to"/>−1 along <paramref name="dim"/> (2 = rows, 3 = columns)
    /// of a contiguous CPU N×C×H×W tensor whose first sample along that dimension is input <paramref name="inOffset"/>. Each
    /// output is the sum of its taps in ascending input order, accumulated in double, then stored in the input's dtype.
    /// </summary>
    public static unsafe Tensor Gather(Tensor x, int dim, MatlabResize.ResizeTaps taps, int from, int to, int inOffset)
    {
        var s = x.shape;
        long planes = s[0] * s[1], h = s[2], w = s[3];
        long outH = dim == 2 ? to - from : h, outW = dim == 3 ? to - from : w;
        var y = torch.empty([s[0], s[1], outH, outW], x.dtype);
        if (y.numel() == 0) return y;
        bool f32 = x.dtype == ScalarType.Float32;
        nint src = x.data_ptr(), dst = y.data_ptr();
        // Work items: (plane, output row) for the row pass, (plane, row) for the column pass; chunks for the thread pool.
        long items = planes * (dim == 2 ? outH : h);
        long perChunk = Math.Max(1, (1L << 16) / Math.Max(1, dim == 2 ? w : outW));
        int chunks = (int)Math.Min(Environment.ProcessorCount * 4L, (items + perChunk - 1) / perChunk);
        chunks = Math.Max(1, chunks);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) }, c =>
        {
            long i0 = items * c / chunks, i1 = items * (c + 1) / chunks;
            if (f32) Run((float*)src, (float*)dst, i0, i1);
            else Run((double*)src, (double*)dst, i0, i1);
        });
        return y;

        void Run<T>(T* xs, T* ys, long i0, long i1) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var start = taps.Start;
            var index = taps.Index;
            var weight = taps.Weight;
            if (dim == 2)
            {
                var acc = new double[w];
                for (long item = i0; item < i1; item++)
                {
                    long plane = item / outH;
                    int r = from + (int)(item % outH);
                    T* inPlane = xs + plane * h * w;
                    int k0 = start[r], k1 = start[r + 1];
                    T* row = inPlane + (index[k0] - inOffset) * w;
                    double wt = weight[k0];
                    for (long j = 0; j < w; j++) acc[j] = wt * double.CreateTruncating(row[j]);
                    for (int k = k0 + 1; k < k1; k++)
                    {
                        row = inPlane + (index[k] - inOffset) * w;
                        wt = weight[k];
                        for (long j = 0; j < w; j++) acc[j] += wt * double.CreateTruncating(row[j]);
                    }
                    T* o = ys + item * w;
                    for (long j = 0; j < w; j++) o[j] = T.CreateTruncating(acc[j]);
                }
            }
            else
            {
                for (long item = i0; item < i1; item++)
                {
                    T* row = xs + item * w - inOffset;
                    T* o = ys + item * outW;
                    for (int c = from; c < to; c++)
                    {
                        int k0 = start[c], k1 = start[c + 1];
                        double a = weight[k0] * double.CreateTruncating(row[index[k0]]);
                        for (int k = k0 + 1; k < k1; k++) a += weight[k] * double.CreateTruncating(row[index[k]]);
                        o[c - from] = T.CreateTruncating(a);
                    }
                }
            }
        }
    }
}
