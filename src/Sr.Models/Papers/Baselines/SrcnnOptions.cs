namespace Sr.Models.Networks;

/// <summary>Options of <see cref="Srcnn"/> (defaults: the 9-1-5 network with n1 = 64, n2 = 32 of Dong et al.).</summary>
public sealed record SrcnnOptions
{
    public int F1 { get; init; } = 9;
    public int F2 { get; init; } = 1;
    public int F3 { get; init; } = 5;
    public int N1 { get; init; } = 64;
    public int N2 { get; init; } = 32;

    /// <summary>
    /// σ of Gaussian initial weights; 0 (default) = He/MSRA, N(0, 2/fan_in). The paper's 0.001 belongs to its SGD; with the
    /// Adam recipe we train, that start is slow: ×2 on T91, Set5 reached 34.66 dB after 1,500 steps from MSRA against
    /// 33.11 dB after about 2,240 steps from N(0, 0.001²) (training-runs/ten-minutes, 2026-12-01). 0.001 restores the paper.
    /// </summary>
    public double InitStd { get; init; }
}
