namespace Sr.Models.Training;

/// <summary>How <see cref="PatchSampler"/> cuts training batches.</summary>
public sealed record PatchSamplerOptions
{
    /// <summary>HR patch side in pixels; rounded down to a multiple of the scale (LR patch = HR / scale).</summary>
    public int HrPatchSize { get; init; } = 96;

    public int BatchSize { get; init; } = 16;

    /// <summary>Random flips/rot90 (all eight dihedral transforms), identical for the LR and HR patch.</summary>
    public bool Augment { get; init; } = true;

    public long Seed { get; init; } = 1;

    /// <summary>
    /// Degrade every image again at each epoch with a fresh seed (for random degradations: noise, random blur, JPEG).
    /// Off by default: a deterministic degradation (bicubic) then costs one resize per image per run.
    /// </summary>
    public bool RedegradeEachEpoch { get; init; }
}
