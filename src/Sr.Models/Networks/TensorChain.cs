using Sr.Torch;

namespace Sr.Models.Networks;

/// <summary>
/// Eager release of intermediates in a forward pass. A dispose scope alone would keep every activation of the
/// pass alive until the pass ends (gigabytes for a 256² image through VDSR or BTSRN); PyTorch frees each one when its
/// last reference goes. Disposing our handle is always safe: autograd keeps its own reference to what backward needs.
/// </summary>
internal static class TensorChain
{
    /// <summary>Applies <paramref name="f"/> to an intermediate this code owns, then releases it.</summary>
    public static Tensor Consume(this Tensor x, Func<Tensor, Tensor> f)
    {
        try
        {
            return f(x);
        }
        finally
        {
            x.Dispose();
        }
    }
}
