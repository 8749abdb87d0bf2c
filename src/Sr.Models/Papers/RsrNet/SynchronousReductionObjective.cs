using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Training;

/// <summary>
/// RSRNet's training in synchrony (paper 003, Sec. 3): HR → RRNet → Q-BReLU → SRNet → HR with the pixel loss alone
/// (L1 in the paper); the sampler's LR patches are not used, since the network learns its own down-scaler.
/// </summary>
public sealed class SynchronousReductionObjective(LossKind kind) : ITrainingObjective
{
    public Tensor Loss(SrNetwork network, Tensor lr, Tensor hr)
    {
        if (network is not IReducingNetwork reducing)
            throw new ArgumentException($"{network.GetName} does not learn a down-scaler (IReducingNetwork).", nameof(network));
        var sr = reducing.ReduceAndSuperResolve(hr);
        var target = PixelLossObjective.CenterCrop(hr, sr.shape[2], sr.shape[3]);
        return Losses.PixelLosses.Distance(sr, target, kind);
    }
}
