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
        int overlap = Options.TileOverlap ?? Network.ReceptiveFieldRadius;
        var options = Options.TileSize > 0 ? Options : Options with { TileSize = AutomaticTileSize(lr, overlap) };
        var sr = TiledInference.Run(lr, Network.Scale, overlap, options, Network.call);
        return sr.clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The LR tile edge that keeps the network's working memory within the budget (<see cref="MemoryBudget"/>), or 0 when
    /// the whole image fits. The budget covers the whole upscale, so the image buffers around the network (about 15 bytes
    /// per LR pixel and 11 per HR pixel: input, Y, chroma, the network's output, the 8-bit result) come off it first; the
    /// network gets at least a quarter. Its bytes per LR pixel are measured once, on a small input.
    /// </summary>
    public int AutomaticTileSize(Tensor lr, int overlap)
    {
        ArgumentNullException.ThrowIfNull(lr);
        long n = lr.size(0), h = lr.size(2), w = lr.size(3), s2 = (long)Network.Scale * Network.Scale;
        if (n * h * w <= ProbeEdge * ProbeEdge) return 0; // no larger than the probe: nothing to measure or to tile
        long budget = MemoryBudget.Of(Options);
        long buffers = n * h * w * (15 + 11 * s2);
        long work = Math.Max(budget / 4, budget - buffers);
        double perPixel = BytesPerLrPixel(lr.dtype) * n;
        if (h * w * perPixel <= work) return 0;
        int edge = (int)Math.Sqrt(work / perPixel) - 2 * overlap;
        return Math.Max(16, edge / 8 * 8);
    }

    /// <summary>
    /// The network's working memory per LR pixel at inference, measured on a 96×96 input of <paramref name="dtype"/> with the caching allocator's peak
    /// counter (blocks of 256 KiB and more); 4 KiB when the allocator is off (SR_MALLOC=default).
    /// </summary>
    public double BytesPerLrPixel(ScalarType dtype = ScalarType.Float32)
    {
        if (_bytesPerPixel is { } known && known.Dtype == dtype) return known.Bytes;
        double result = 4096;
        if (torch.cpu_cache_enabled())
        {
            const int edge = ProbeEdge;
            using var mode = inference_mode();
            using var scope = NewDisposeScope();
            var probe = zeros([1, Network.Channels, edge, edge], dtype);
            torch.cpu_cache_reset_peak();
            var (before, _) = torch.cpu_cache_peak();
            Network.call(probe).Dispose();
            var (_, peak) = torch.cpu_cache_peak();
            // The output is counted too (it is part of the work); at least the output's own bytes.
            result = Math.Max((double)(peak - before) / (edge * edge), 4.0 * Network.Scale * Network.Scale * Network.Channels);
        }
        _bytesPerPixel = (dtype, result);
        return result;
    }

    private const int ProbeEdge = 96;
    private (ScalarType Dtype, double Bytes)? _bytesPerPixel;

    public void Dispose()
    {
        if (_ownsNetwork) Network.Dispose();
    }
}
