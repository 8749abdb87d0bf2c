namespace Sr.Models.Networks;

/// <summary>
/// Options of <see cref="Btsrn"/> (JSON names as the properties, case-insensitive). The defaults are the NTIRE 2017
/// model of the paper and the official code (<c>model_resnet_up.py</c>).
/// </summary>
public sealed record BtsrnOptions
{
    /// <summary>PConv blocks in the low-resolution stage (paper: 6).</summary>
    public int LrBlocks { get; init; } = 6;

    /// <summary>PConv blocks in the high-resolution stage (paper: 4).</summary>
    public int HrBlocks { get; init; } = 4;

    /// <summary>Width of the residual path (paper: 128 "nodes").</summary>
    public int Channels { get; init; } = 128;

    /// <summary>Width after the PConv block's 1×1 projection (paper §4.3: 64; the ablation used 32).</summary>
    public int Bottleneck { get; init; } = 64;

    /// <summary>
    /// true (default): the official code's VALID 3×3 convolutions with centre-cropped shortcuts; the input is mirrored
    /// (symmetric, edge included) by the network's receptive radius and the output centre-cropped, as the official
    /// inference does. false: 'same' zero padding (simpler; only pixels near the border differ).
    /// </summary>
    public bool ValidConvolutions { get; init; } = true;

    /// <summary>
    /// true (default): run each stride-s transposed convolution (kernel = stride, so no overlap) as the exactly equal
    /// 1×1 convolution + pixel shuffle, with the nearest-neighbour skip fused before the shuffle. The parameter keeps
    /// ConvTranspose2d's shape, so weights are the same either way.
    /// </summary>
    public bool FastUpsampling { get; init; } = true;
}
