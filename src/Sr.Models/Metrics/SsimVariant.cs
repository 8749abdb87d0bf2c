namespace Sr.Models.Metrics;

/// <summary>Which SSIM: the two differ on images larger than 384 pixels on the short side.</summary>
public enum SsimVariant
{
    /// <summary>Wang et al. 2004 (ssim_index.m; BasicSR calculate_ssim): 11×11 Gaussian σ=1.5, K1=0.01, K2=0.03, L=255, valid region.</summary>
    Standard,

    /// <summary>
    /// Wang's "SSIM with automatic downsampling" (ssim.m, used by SPSR's tables): first an f×f box filter (symmetric border,
    /// MATLAB 'same' alignment) and keeping every f-th sample, f = max(1, round(min(H,W)/256)); then <see cref="Standard"/>.
    /// </summary>
    AutoDownsample,
}
