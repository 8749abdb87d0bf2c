namespace Sr.Models.Training;

/// <summary>Mean PSNR (dB) and SSIM over a validation set, with the protocol that produced them (e.g. "Y, shave 2").</summary>
public sealed record ValidationResult(double Psnr, double? Ssim, string Protocol);
