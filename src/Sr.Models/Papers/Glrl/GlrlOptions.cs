namespace Sr.Models.Networks;

/// <summary>Options of <see cref="Glrl"/>. The paper gives the depth (16 layers) and 3 LRBs; the width is our choice.</summary>
public sealed record GlrlOptions
{
    /// <summary>Feature maps (not stated in the paper; DRRN uses 128, we default to 64 for this CPU).</summary>
    public int Channels { get; init; } = 64;

    /// <summary>Local residual blocks (paper: 3).</summary>
    public int Blocks { get; init; } = 3;

    /// <summary>Residual units in each block's deep branch, sharing weights as DRRN's recursive block (paper's Fig. 4: 2).</summary>
    public int Units { get; init; } = 2;
}
