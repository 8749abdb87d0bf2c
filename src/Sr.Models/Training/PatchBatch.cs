using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>
/// One training batch of aligned patches, held in managed memory so the background thread that makes it never
/// touches native tensors the training thread owns. <see cref="Lr"/> is N×C×p×p, <see cref="Hr"/> N×C×(s·p)×(s·p), row-major.
/// </summary>
public sealed class PatchBatch
{
    public PatchBatch(long index, int count, int channels, int lrSize, int scale, float[] lr, float[] hr, float[]? boundary = null)
    {
        if (boundary is not null && boundary.Length != (long)count * lrSize * scale * lrSize * scale)
            throw new ArgumentException($"A boundary batch needs {count}×1×{lrSize * scale}×{lrSize * scale} values, got {boundary.Length}.", nameof(boundary));
        Boundary = boundary;
        Index = index;
        Count = count;
        Channels = channels;
        LrSize = lrSize;
        Scale = scale;
        Lr = lr;
        Hr = hr;
    }

    /// <summary>The batch's position in the sampler's stream (batch k is a pure function of the seed and k).</summary>
    public long Index { get; }
    public int Count { get; }
    public int Channels { get; }
    public int LrSize { get; }
    public int Scale { get; }
    public int HrSize => LrSize * Scale;
    public float[] Lr { get; }
    public float[] Hr { get; }

    /// <summary>N×1×(s·p)×(s·p) boundary targets aligned with <see cref="Hr"/> (from boundary files), or null.</summary>
    public float[]? Boundary { get; }

    /// <summary>New N×C×h×w tensors (owned by the caller or its dispose scope).</summary>
    public (Tensor lr, Tensor hr) ToTensors() =>
        (torch.tensor(Lr, [Count, Channels, LrSize, LrSize]), torch.tensor(Hr, [Count, Channels, HrSize, HrSize]));

    /// <summary>The boundary targets as a new N×1×h×w tensor, or null when the data has no boundary files.</summary>
    public Tensor? BoundaryTensor() => Boundary is null ? null : torch.tensor(Boundary, [Count, 1, HrSize, HrSize]);
}
