using Sr.Torch;

namespace Sr.Models;

/// <summary>
/// Anything that upscales: bicubic, a trained network, an ensemble. The evaluator, the pipeline and the CLI
/// all talk to methods through this, so they share one code path.
/// </summary>
public interface ISuperResolver
{
    /// <summary>A short name for reports ("bicubic", "rsrnet-sr", a model file's name).</summary>
    string Name { get; }

    /// <summary>The channels <see cref="Upscale"/> consumes and produces.</summary>
    ColorSpace ColorSpace { get; }

    /// <summary>The scales this method supports.</summary>
    IReadOnlyList<int> Scales { get; }

    /// <summary>
    /// Upscales a batch: <paramref name="lr"/> is N×C×h×w float32 in [0,1] (C = 1 for <see cref="ColorSpace.Y"/>, 3 for RGB);
    /// the result is N×C×(s·h)×(s·w) float32, clamped to [0,1], owned by the caller. Must not dispose <paramref name="lr"/>.
    /// Throws <see cref="ArgumentException"/> naming the scale when <paramref name="scale"/> is not supported.
    /// </summary>
    Tensor Upscale(Tensor lr, int scale);
}
