using Sr.Torch;

namespace Sr.Models.Networks;

/// <summary>
/// A network that learns its own down-scaler and is trained end to end HR → LR → HR (RSRNet): the training engine
/// feeds HR patches to <see cref="ReduceAndSuperResolve"/> and compares with the same HR (no LR target exists).
/// Its <see cref="SrNetwork"/> forward is the LR → HR half, for inference on given LR images.
/// </summary>
public interface IReducingNetwork
{
    /// <summary>The learned down-scaler: N×C×H×W HR → N×C×⌊H/s⌋×⌊W/s⌋ LR (quantised as the network defines).</summary>
    Tensor Reduce(Tensor hr);

    /// <summary>HR → learned LR → SR, for training in synchrony.</summary>
    Tensor ReduceAndSuperResolve(Tensor hr);
}
