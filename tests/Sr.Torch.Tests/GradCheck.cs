using Sr.Torch;

namespace Sr.Torch.Tests;

/// <summary>Checks autograd against central finite differences in float64 (as torch.autograd.gradcheck).</summary>
internal static class GradCheck
{
    /// <summary>
    /// Projects f's output onto a fixed random direction (so every output element matters), then compares
    /// d(projection)/d(input) from backward() with central differences, element by element.
    /// </summary>
    public static void Assert(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-4, string? name = null)
    {
        using var scope = torch.NewDisposeScope();
        var xs = inputs.Select(x => x.to(ScalarType.Float64).detach().requires_grad_()).ToArray();
        var y0 = f(xs);
        var direction = torch.randn(y0.shape, ScalarType.Float64);
        var loss = y0.mul(direction).sum();
        loss.backward();
        for (int k = 0; k < xs.Length; k++)
        {
            var analytic = xs[k].grad?.data<double>() ?? new double[xs[k].numel()];
            var x = xs[k].detach().clone();
            var flat = x.data<double>();
            var numeric = new double[flat.Length];
            for (int i = 0; i < flat.Length; i++)
            {
                double orig = flat[i];
                flat[i] = orig + eps;
                double plus = Eval(f, xs, k, x, flat, direction);
                flat[i] = orig - eps;
                double minus = Eval(f, xs, k, x, flat, direction);
                flat[i] = orig;
                numeric[i] = (plus - minus) / (2 * eps);
            }
            for (int i = 0; i < flat.Length; i++)
            {
                double err = Math.Abs(analytic[i] - numeric[i]);
                if (err > atol + rtol * Math.Abs(numeric[i]))
                    Xunit.Assert.Fail($"{name ?? "op"}: input {k} element {i}: analytic {analytic[i]:G8} vs numeric {numeric[i]:G8}");
            }
        }
    }

    private static double Eval(Func<Tensor[], Tensor> f, Tensor[] xs, int k, Tensor x, double[] values, Tensor direction)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        x.CopyFrom<double>(values);
        var args = xs.Select((t, j) => j == k ? x : t.detach()).ToArray();
        return f(args).mul(direction).sum().item<double>();
    }
}
