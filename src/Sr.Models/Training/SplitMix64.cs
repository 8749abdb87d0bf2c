namespace Sr.Models.Training;

/// <summary>
/// A tiny counter-friendly generator (SplitMix64, Steele et al. 2014). The sampler derives one generator per batch
/// from (seed, batch index), so batch k is a pure function of k: resuming needs no generator state, only k.
/// Our own generator rather than System.Random so the stream is fixed by this file, not by a runtime version.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) by rejection (no modulo bias).</summary>
    public long NextBelow(long n)
    {
        if (n <= 1) return 0;
        ulong un = (ulong)n, limit = ulong.MaxValue - ulong.MaxValue % un;
        ulong r;
        do r = Next(); while (r >= limit);
        return (long)(r % un);
    }

    /// <summary>A well-mixed value of several integers (for per-batch and per-step seeds).</summary>
    public static ulong Mix(long a, long b, long c = 0)
    {
        var g = new SplitMix64((ulong)a * 0xD1B54A32D192ED03UL ^ (ulong)b * 0xABC98388FB8FAC03UL ^ (ulong)c * 0x8CB92BA72F3D8DD7UL);
        g.Next();
        return g.Next();
    }
}
