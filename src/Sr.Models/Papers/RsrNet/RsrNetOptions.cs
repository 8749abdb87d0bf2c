namespace Sr.Models.Networks;

/// <summary>Options of <see cref="RsrNet"/>, <see cref="RrNet"/> and <see cref="SrNet"/> (defaults: Table 2 of the paper).</summary>
public sealed record RsrNetOptions
{
    /// <summary>Feature maps per layer (Table 2: 64).</summary>
    public int Features { get; init; } = 64;

    /// <summary>Dense units [1×1, 64 → 3×3, 64] in SRNet (Table 2: 3).</summary>
    public int DenseUnits { get; init; } = 3;

    /// <summary>Q of Q-BReLU (not stated; 256 = 8-bit images, see <see cref="QuantizedBoundedReLU"/>).</summary>
    public int Levels { get; init; } = 256;

    public double TMin { get; init; }

    public double TMax { get; init; } = 1;

    /// <summary>LReLU slope (Sec. 4.1: max(x, 0.05x)).</summary>
    public double NegativeSlope { get; init; } = 0.05;
}
