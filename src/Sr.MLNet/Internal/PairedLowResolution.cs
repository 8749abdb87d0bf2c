using System.Runtime.InteropServices;
using Sr.Models.Imaging;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// The training engine's sampler degrades HR images itself; a pipeline has already made its LR images (or patches). This
/// "degradation" hands the sampler the pipeline's own LR for each HR image, found by content, so the network trains on
/// exactly the pairs the pipeline produced. Identical HR images share the first LR seen.
/// </summary>
internal sealed class PairedLowResolution : IDegradation
{
    private readonly Dictionary<ulong, Tensor> _lrByHr = [];

    public string Name => "pipeline-pairs";

    public void Add(Tensor hr, Tensor lr) => _lrByHr.TryAdd(Key(hr), lr.detach().clone().DetachFromDisposeScope());

    public Tensor Apply(Tensor hr, int scale, long seed = 0)
    {
        if (!_lrByHr.TryGetValue(Key(hr), out var lr))
            throw new InvalidOperationException("The sampler asked for the LR of an HR image the pipeline did not produce (was it cropped?).");
        return lr.clone();
    }

    private static ulong Key(Tensor t)
    {
        using var flat = t.detach().to(ScalarType.Float32).contiguous();
        var data = flat.data<float>();
        ulong h = 14695981039346656037UL;
        foreach (var b in MemoryMarshal.AsBytes(data.AsSpan())) h = (h ^ b) * 1099511628211UL;
        foreach (var d in t.shape) h = (h ^ (ulong)d) * 1099511628211UL;
        return h;
    }

    public void Clear()
    {
        foreach (var t in _lrByHr.Values) t.Dispose();
        _lrByHr.Clear();
    }
}
