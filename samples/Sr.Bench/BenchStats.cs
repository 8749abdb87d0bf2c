namespace Sr.Bench;

/// <summary>Order statistics of repeated timings, shared by the benchmarks.</summary>
internal static class BenchStats
{
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary>The q-quantile with linear interpolation between order statistics (q = 0.5: the median).</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) throw new ArgumentException("No values.", nameof(values));
        double pos = q * (v.Length - 1);
        int lo = (int)Math.Floor(pos);
        return lo + 1 < v.Length ? v[lo] + (pos - lo) * (v[lo + 1] - v[lo]) : v[lo];
    }
}
