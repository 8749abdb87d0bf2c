using Sr.Torch;

namespace Sr.Models.Metrics;

internal static class MetricChecks
{
    public static void SameShape(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var sa = a.shape;
        var sb = b.shape;
        if (sa.Length != 4) throw new ArgumentException($"Metrics take N×C×H×W tensors, got [{string.Join("×", sa)}].", nameof(a));
        if (!sa.SequenceEqual(sb))
            throw new ArgumentException($"The two images differ in shape: [{string.Join("×", sa)}] vs [{string.Join("×", sb)}].", nameof(b));
    }
}
