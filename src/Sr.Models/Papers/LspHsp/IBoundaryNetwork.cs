using Sr.Torch;

namespace Sr.Models.Networks;

/// <summary>
/// A network with an auxiliary boundary-map output (LSP/HSP): the training engine's loss is
/// mean((image − y)²) + mean((boundary − α·b)²) (Eq. 4 of the paper, mean instead of sum), with b from
/// annotation files when present, else <see cref="BoundaryMaps.FromEdges"/> of the HR patch. With α = 0 the
/// boundary term is dropped (LSP alone).
/// </summary>
public interface IBoundaryNetwork
{
    /// <summary>α, the weight of the boundary map in the target.</summary>
    double BoundaryWeight { get; }

    /// <summary>Both outputs: the SR image (N×1×sH×sW) and the boundary map (N×1×sH×sW, unbounded regression output).</summary>
    (Tensor image, Tensor boundary) ForwardWithBoundary(Tensor lr);
}
