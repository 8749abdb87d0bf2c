using Sr.Models.Networks;
using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Training;

/// <summary>
/// LSP-HSP's objective (paper 000, Eq. 4, means instead of sums): mean((image − y)²) + mean((boundary − α·b)²), with b the
/// boundary map of the HR patch: from boundary files when the training data has them (<see cref="PatchSamplerOptions.BoundaryFolder"/>,
/// e.g. BSDS500's human annotations as gray PNGs), else — the documented fallback, as here, where we have no annotations —
/// <see cref="BoundaryMaps.FromEdges"/> of the HR patch (it marks texture as well as object boundaries). α = 0 drops the
/// second term (LSP).
/// </summary>
public sealed class BoundaryObjective : ITrainingObjective
{
    public Tensor Loss(SrNetwork network, Tensor lr, Tensor hr) => Loss(network, lr, hr, null);

    public Tensor Loss(SrNetwork network, Tensor lr, Tensor hr, Tensor? boundaryTarget)
    {
        if (network is not IBoundaryNetwork boundaryNetwork)
            throw new ArgumentException($"{network.GetName} has no boundary output (IBoundaryNetwork).", nameof(network));
        var (image, boundary) = boundaryNetwork.ForwardWithBoundary(lr);
        var target = PixelLossObjective.CenterCrop(hr, image.shape[2], image.shape[3]);
        var loss = F.mse_loss(image, target);
        double alpha = boundaryNetwork.BoundaryWeight;
        if (alpha == 0) return loss;
        var b = boundaryTarget is null ? BoundaryMaps.FromEdges(target) : PixelLossObjective.CenterCrop(boundaryTarget, boundary.shape[2], boundary.shape[3]);
        return loss + F.mse_loss(boundary, b * alpha);
    }
}
