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
        Tensor sr;
        if (!Options.SelfEnsemble)
        {
            sr = Run(lr);
        }
        else
        {
            // The 8 elements of the dihedral group: k quarter turns, with or without a horizontal flip first.
            Tensor? sum = null;
            for (int flip = 0; flip < 2; flip++)
            {
                for (int k = 0; k < 4; k++)
                {
                    var x = flip == 1 ? lr.flip(3) : lr;
                    x = k == 0 ? x : x.rot90(k, 2, 3);
                    var y = Run(x);
                    y = k == 0 ? y : y.rot90(-k, 2, 3);
                    y = flip == 1 ? y.flip(3) : y;
                    sum = sum is null ? y : sum + y;
                }
            }
            sr = sum! / 8.0;
        }
        return sr.clamp(0, 1).MoveToOuterDisposeScope();
    }

    private Tensor Run(Tensor lr)
    {
        long h = lr.size(2), w = lr.size(3);
        int tile = Options.TileSize;
        if (tile == 0 || (h <= tile && w <= tile)) return Network.call(lr);

        int s = Network.Scale;
        int pad = Options.TileOverlap ?? Network.ReceptiveFieldRadius;
        var output = zeros([lr.size(0), lr.size(1), h * s, w * s], lr.dtype, lr.device);
        for (long y0 = 0; y0 < h; y0 += tile)
        {
            for (long x0 = 0; x0 < w; x0 += tile)
            {
                using var scope = NewDisposeScope();
                long y1 = Math.Min(h, y0 + tile), x1 = Math.Min(w, x0 + tile);
                // Context clipped at the image border, so border tiles see the same border handling as the whole image.
                long cy0 = Math.Max(0, y0 - pad), cx0 = Math.Max(0, x0 - pad);
                long cy1 = Math.Min(h, y1 + pad), cx1 = Math.Min(w, x1 + pad);
                var input = lr.narrow(2, cy0, cy1 - cy0).narrow(3, cx0, cx1 - cx0);
                var result = Network.call(input);
                var core = result.narrow(2, (y0 - cy0) * s, (y1 - y0) * s).narrow(3, (x0 - cx0) * s, (x1 - x0) * s);
                output.narrow(2, y0 * s, (y1 - y0) * s).narrow(3, x0 * s, (x1 - x0) * s).copy_(core);
            }
        }
        return output;
    }

    public void Dispose()
    {
        if (_ownsNetwork) Network.Dispose();
    }
}
