// SPSR's VGG-128 discriminator (Maclory/SPSR architecture.py) normalises with BatchNorm2d; this is that layer with
// PyTorch's keys (weight, bias, running_mean, running_var, num_batches_tracked).
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// BatchNorm2d as PyTorch's. Ours rather than <c>nn.BatchNorm2d</c> because the binding's layer (at this commit) counts
/// <c>num_batches_tracked</c> with a floating scalar on an int64 tensor, which libtorch rejects in training mode.
/// </summary>
public sealed class BatchNorm : nn.Module<Tensor, Tensor>
{
    public readonly nn.Parameter weight, bias;
    public readonly Tensor running_mean, running_var, num_batches_tracked;
    private readonly double _eps, _momentum;

    public BatchNorm(long numFeatures, double eps = 1e-5, double momentum = 0.1) : base("BatchNorm2d")
    {
        (_eps, _momentum) = (eps, momentum);
        using (var w = ones(numFeatures)) weight = new nn.Parameter(w);
        using (var b = zeros(numFeatures)) bias = new nn.Parameter(b);
        running_mean = zeros(numFeatures);
        running_var = ones(numFeatures);
        num_batches_tracked = zeros([], ScalarType.Int64);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (training)
        {
            using var _ = no_grad();
            // The shim's add_ passes a floating alpha, which libtorch refuses for int64: count through a copy instead.
            using var next = full([], num_batches_tracked.item<long>() + 1, ScalarType.Int64);
            num_batches_tracked.copy_(next);
        }
        return F.batch_norm(input, running_mean, running_var, weight, bias, training, _momentum, _eps);
    }
}
