namespace Sr.Models.Evaluation;

/// <summary>
/// One row of an evaluation: the file, its size as read, PSNR (dB; +∞ for a perfect result) and SSIM under the report's
/// protocol, and the seconds the method took to upscale it. Skipped files have NaN metrics and a note saying why.
/// </summary>
public sealed record EvalImageResult(string Name, int Width, int Height, double Psnr, double Ssim, double Seconds,
    EvalOutcome Outcome = EvalOutcome.Evaluated, string? Note = null)
{
    public bool IsMeasured => Outcome != EvalOutcome.Skipped;

    public static EvalImageResult Skip(string name, string reason, int width = 0, int height = 0) =>
        new(name, width, height, double.NaN, double.NaN, 0, EvalOutcome.Skipped, reason);
}
