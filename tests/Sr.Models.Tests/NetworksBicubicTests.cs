using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class NetworksBicubicTests
{
    /// <summary>
    /// MATLAB imresize's contributions() for one dimension, from its published algorithm: output x (1-based) samples
    /// u = x/s + ½(1 − 1/s); taps left … left+5 with left = ⌊u − 2⌋; weights cubic(u − tap) normalised to sum 1;
    /// indices mirrored with aux = [1..n, n..1].
    /// </summary>
    private static double[,] MatlabResizeMatrix(int n, int scale)
    {
        var m = new double[n * scale, n];
        for (int x = 1; x <= n * scale; x++)
        {
            double u = x / (double)scale + 0.5 * (1 - 1.0 / scale);
            int left = (int)Math.Floor(u - 2);
            var taps = Enumerable.Range(left, 6).ToArray();
            var w = taps.Select(t => BicubicUpsample.Cubic(u - t)).ToArray();
            double sum = w.Sum();
            for (int j = 0; j < taps.Length; j++)
            {
                int i = ((taps[j] - 1) % (2 * n) + 2 * n) % (2 * n);
                int source = i < n ? i : 2 * n - 1 - i;
                m[x - 1, source] += w[j] / sum;
            }
        }
        return m;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Bicubic_upsample_equals_matlab_imresize(int scale)
    {
        using var scope = NewDisposeScope();
        int h = 5, w = 7;
        var lr = rand(1, 1, h, w);
        var x = lr.to(ScalarType.Float64).reshape(h, w).data<double>();
        var rows = MatlabResizeMatrix(h, scale);
        var cols = MatlabResizeMatrix(w, scale);
        var expected = new float[h * scale * w * scale];
        for (int i = 0; i < h * scale; i++)
            for (int j = 0; j < w * scale; j++)
            {
                double v = 0;
                for (int a = 0; a < h; a++)
                    for (int b = 0; b < w; b++)
                        v += rows[i, a] * cols[j, b] * x[a * w + b];
                expected[i * w * scale + j] = (float)v;
            }
        using var up = new BicubicUpsample(scale);
        var got = up.call(lr);
        Assert.True(allclose(got, tensor(expected, [1, 1, h * scale, w * scale]), 0, 2e-6));
    }

    [Fact]
    public void Bicubic_upsample_keeps_a_constant_and_has_no_state_dict_entries()
    {
        using var scope = NewDisposeScope();
        using var up = new BicubicUpsample(3);
        var c = full([2, 3, 4, 5], 0.3);
        Assert.True(allclose(up.call(c), full([2, 3, 12, 15], 0.3), 0, 1e-6));
        Assert.Empty(up.state_dict());
    }
}
