using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Inference;

/// <summary>
/// An <see cref="ISuperResolver"/> over a trained <see cref="SrNetwork"/>: evaluation mode, inference mode (no autograd),
/// output clamped to [0,1], optionally tiled (bounded memory on large images, same result) and self-ensembled.
/// </summary>
public sealed class NetworkSuperResolver : ISuperResolver, IDisposable
{
    private readonly bool _ownsNetwork;

    /// <param name="network">The network; put in evaluation mode here.</param>
    /// <param name="name">The report name (default: the network's type name in lower case).</param>
    /// <param name="options">Tiling and ensemble (default: whole image, no ensemble).</param>
    /// <param name="ownsNetwork">Dispose the network with this resolver.</param>
    public NetworkSuperResolver(SrNetwork network, string? name = null, InferenceOptions? options = null, bool ownsNetwork = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        Options = options ?? new InferenceOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.TileSize);
        if (Options.TileOverlap is int overlap && overlap < network.ReceptiveFieldRadius)
            throw new ArgumentOutOfRangeException(nameof(options), overlap,
                $"Tile overlap {overlap} is below the receptive-field radius {network.ReceptiveFieldRadius} of {network.GetName}: tiles would show seams.");
        Network = network;
        Name = name ?? network.GetName.ToLowerInvariant();
        _ownsNetwork = ownsNetwork;
        network.eval();
    }

    public SrNetwork Network { get; }

    public InferenceOptions Options { get; }

    public string Name { get; }

    public ColorSpace ColorSpace => Network.ColorSpace;

    public IReadOnlyList<int> Scales => [Network.Scale];

    public Tensor Upscale(Tensor lr, int scale)
    {
        ArgumentNullException.ThrowIfNull(lr);
        if (scale != Network.Scale)
            throw new ArgumentException($"{Name} is built for scale {Network.Scale}, not {scale}.", nameof(scale));
        if (lr.dim() != 4 || lr.size(1) != Network.Channels)
            throw new ArgumentException($"{Name} expects N×{Network.Channels}×H×W ({ColorSpace}), got [{string.Join(", ", lr.shape)}].", nameof(lr));
        if (Network.training) Network.eval();
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var sr = TiledInference.Run(lr, Network.Scale, Options.TileOverlap ?? Network.ReceptiveFieldRadius, Options, Network.call);
        return sr.clamp(0, 1).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        if (_ownsNetwork) Network.Dispose();
    }
}
