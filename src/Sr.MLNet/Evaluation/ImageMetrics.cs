namespace Sr.MLNet;

/// <summary>One evaluated image: its name and size, PSNR (dB) and SSIM under the report's protocol, and the seconds the method took.</summary>
public sealed record ImageMetrics(string Image, int Width, int Height, double Psnr, double Ssim, double Seconds);
