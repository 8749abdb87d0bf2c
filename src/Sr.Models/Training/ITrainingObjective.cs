using Sr.Models.Networks;
using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>
/// What a training step minimises, from one batch. The default is a pixel loss between network(LR) and HR
/// (<see cref="PixelLossObjective"/>); methods that train differently bring their own without touching the loop —
/// LSP-HSP (image loss + α · boundary-map loss), RSRNet's synchronous HR → RRNet → SRNet → HR, SPSR's generator side.
/// A network that implements this interface itself is trained with it by default.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>A scalar loss tensor with a graph to the network's parameters. <paramref name="lr"/> and <paramref name="hr"/>
    /// are N×C×h×w and N×C×(s·h)×(s·w), owned by the step's dispose scope.</summary>
    Tensor Loss(SrNetwork network, Tensor lr, Tensor hr);

    /// <summary>
    /// The same with the batch's boundary targets (N×1×s·h×s·w, from boundary files; null when the data has none), which
    /// the training loop passes. Only an objective with a boundary term (<see cref="BoundaryObjective"/>) uses them.
    /// </summary>
    Tensor Loss(SrNetwork network, Tensor lr, Tensor hr, Tensor? boundary) => Loss(network, lr, hr);
}
