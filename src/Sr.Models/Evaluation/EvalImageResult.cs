namespace Sr.Models.Evaluation;

/// <summary>
/// One row of an evaluation: the file, its size as read, PSNR (dB; +∞ for a perfect result) and SSIM under the report's
/// protocol, and the seconds the method took to upscale it. Skipped files have NaN metrics and a note saying why.
/// <see cref="Lpips"/> is NaN unless the evaluation measured LPIPS (<c>sr eval --lpips</c>).
/// </summary>
public sealed record EvalImageResult(string Name, int Width, int Height, double Psnr, double Ssim, double Seconds,
    EvalOutcome Outcome = EvalOutcome.Evaluated, string? Note = null)
{
    /// <summary>LPIPS (AlexNet-lin v0.1) of the RGB output against the RGB ground truth; NaN when not measured.</summary>
    public double Lpips { get; init; } = double.NaN;

    public bool IsMeasured => Outcome != EvalOutcome.Skipped;

    public static EvalImageResult Skip(string name, string reason, int width = 0, int height = 0) =>
        new(name, width, height, double.NaN, double.NaN, 0, EvalOutcome.Skipped, reason);
}
