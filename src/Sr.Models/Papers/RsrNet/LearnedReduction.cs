using Sr.Models.Networks;
using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>
/// A network's own learned down-scaler as the degradation (RSRNet's RRNet): the protocol under which RSRNet reports its
/// results, LR = RRNet(HR), quantised as RRNet defines. Each channel goes through the (single-channel) reducer on its
/// own, so a Y network's reducer also serves Cb/Cr when a protocol needs them.
/// </summary>
public sealed class LearnedReduction : IDegradation
{
    private readonly SrNetwork _network;
    private readonly IReducingNetwork _reducer;

    public LearnedReduction(SrNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _reducer = network as IReducingNetwork
            ?? throw new ArgumentException($"--degradation own needs a network with a learned down-scaler (rsrnet), not {network.GetName}.", nameof(network));
        _network = network;
    }

    public string Name => $"own ({_network.GetName} learned reduction)";

    public Tensor Apply(Tensor hr, int scale, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hr);
        if (scale != _network.Scale)
            throw new ArgumentException($"The learned reduction of this ×{_network.Scale} network cannot reduce by {scale}.", nameof(scale));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long n = hr.size(0), c = hr.size(1), h = hr.size(2), w = hr.size(3);
        // A single-channel reducer takes each channel as an image of its own; a multi-channel one takes the image as it is.
        var lr = _reducer.Reduce(_network.Channels == 1 ? hr.reshape(n * c, 1, h, w) : hr);
        return lr.reshape(n, c, lr.size(2), lr.size(3)).to(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }
}
