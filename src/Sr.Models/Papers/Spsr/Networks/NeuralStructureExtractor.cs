// SPSR-P/-J (Ma et al., TPAMI 2021 "Structure-Preserving Image Super-Resolution", §4.1 and App. A, Fig. 12): the neural
// structure extractor (NSE), a small ResNet-style CNN giving 32-channel structure features at 1/4 resolution.
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks.Spsr;

/// <summary>
/// Six 3×3 convs, each followed by ReLU, with two skip connections (App. A):
/// conv1 (3→c) → conv2 (stride 2) → [conv3 → conv4] + skip → conv5 (stride 2) → conv6, + skip (2×2 average pool of the
/// block input, a parameter-free shortcut so the layer count stays six). Output: c = 32 channels at ⌈H/4⌉×⌈W/4⌉.
/// Our copy of the paper lacks the receptive field and Fig. 12's layer table; this layout is ours. Its receptive field is
/// 25×25 pixels (3, 5, 9, 13, 17, 25 after each conv; strides 1, 2, 2, 2, 4, 4): local, as the paper wants — an edge or
/// texture patch, not an object — and two features 7 grid cells (28 px) apart see disjoint pixels (<see cref="DisjointDistance"/>).
/// </summary>
public sealed class NeuralStructureExtractor : nn.Module<Tensor, Tensor>
{
    /// <summary>The paper's 32-channel structure features.</summary>
    public const int PaperChannels = 32;

    /// <summary>Receptive field of one feature vector, in pixels (ours; stripped from our copy of the paper).</summary>
    public const int ReceptiveField = 25;

    /// <summary>Feature-map stride in pixels (paper: "adjacent features have a stride of 4").</summary>
    public const int Stride = 4;

    /// <summary>Smallest grid (Chebyshev) distance at which two features' receptive fields do not overlap: ⌈25/4⌉ = 7.</summary>
    public const int DisjointDistance = (ReceptiveField + Stride - 1) / Stride;

    private readonly nn.Conv2d conv1, conv2, conv3, conv4, conv5, conv6;

    public NeuralStructureExtractor(int channels = PaperChannels) : base("NSE")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
        conv1 = new nn.Conv2d(3, channels, 3, padding: 1);
        conv2 = new nn.Conv2d(channels, channels, 3, stride: 2, padding: 1);
        conv3 = new nn.Conv2d(channels, channels, 3, padding: 1);
        conv4 = new nn.Conv2d(channels, channels, 3, padding: 1);
        conv5 = new nn.Conv2d(channels, channels, 3, stride: 2, padding: 1);
        conv6 = new nn.Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public int Channels { get; }

    /// <summary>RGB N×3×H×W in [0,1] → N×32×⌈H/4⌉×⌈W/4⌉ structure features.</summary>
    public override Tensor forward(Tensor rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.dim() != 4 || rgb.size(1) != 3) throw new ArgumentException($"The NSE expects N×3×H×W RGB, got [{string.Join(", ", rgb.shape)}].", nameof(rgb));
        using var scope = NewDisposeScope();
        var h = conv1.call(rgb).relu();
        h = conv2.call(h).relu();
        h = conv4.call(conv3.call(h).relu()).add(h).relu();              // skip connection 1
        var r = conv6.call(conv5.call(h).relu());
        h = r.add(F.avg_pool2d(h, 2, 2, ceil_mode: true)).relu();         // skip connection 2 (down-sampled identity)
        return h.MoveToOuterDisposeScope();
    }
}
