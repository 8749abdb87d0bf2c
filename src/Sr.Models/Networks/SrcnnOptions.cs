namespace Sr.Models.Networks;

/// <summary>Options of <see cref="Srcnn"/> (defaults: the 9-1-5 network with n1 = 64, n2 = 32 of Dong et al.).</summary>
public sealed record SrcnnOptions
{
    public int F1 { get; init; } = 9;
    public int F2 { get; init; } = 1;
    public int F3 { get; init; } = 5;
    public int N1 { get; init; } = 64;
    public int N2 { get; init; } = 32;

    /// <summary>σ of the Gaussian initial weights (the paper's 0.001); 0 = He/MSRA, N(0, 2/fan_in).</summary>
    public double InitStd { get; init; } = 0.001;
}
