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

    /// <summary>
    /// Folder of boundary maps for a network with a boundary output (LSP-HSP): one gray file per training image with the
    /// same name stem (see <see cref="Networks.BoundaryMaps.ReadFile"/>), cropped and transformed exactly as its HR patch
    /// and delivered as <see cref="PatchBatch.Boundary"/>. Every training image must have one. Null: no boundary files
    /// (the objective then falls back to <see cref="Networks.BoundaryMaps.FromEdges"/> of the HR patch).
    /// Only <see cref="PatchSampler.FromFiles"/> / <see cref="PatchSampler.FromFolder"/> read it.
    /// </summary>
    public string? BoundaryFolder { get; init; }
}
