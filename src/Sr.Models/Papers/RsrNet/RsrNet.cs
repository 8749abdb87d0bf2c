// Learning Reduced-Resolution and Super-Resolution Networks in Synchrony (Cai et al.): the whole system of Fig. 4,
// S = SRNet(Q-BReLU(RRNet(H))), trained end to end with L1(S, H) (Sec. 3, 4.1).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks;

/// <summary>
/// RSRNet: <see cref="RrNet"/> (learned down-scaler) and <see cref="SrNet"/> trained in synchrony. As an
/// <see cref="SrNetwork"/> its forward takes LR (for inference on LR images, typically made by <see cref="Reduce"/>);
/// training uses <see cref="ReduceAndSuperResolve"/> on HR patches.
/// </summary>
/// <remarks>The paper's numbers are on RRNet-made LR, not on bicubic LR; they are not comparable with bicubic-degradation tables.</remarks>
public sealed class RsrNet : SrNetwork, IReducingNetwork
{
    private readonly RrNet rrnet;
    private readonly SrNet srnet;

    public RsrNet(int scale, RsrNetOptions? options = null) : base(nameof(RsrNet), scale, ColorSpace.Y)
    {
        rrnet = new RrNet(scale, Channels, options);
        srnet = new SrNet(scale, options, ColorSpace.Y);
        RegisterComponents();
    }

    /// <summary>The learned down-scaler as a module of its own (e.g. to export or to run alone).</summary>
    public RrNet Reducer => rrnet;

    /// <summary>The LR → HR half.</summary>
    public SrNet SuperResolver => srnet;

    public override int ReceptiveFieldRadius => srnet.ReceptiveFieldRadius;

    public override Tensor forward(Tensor lr) => srnet.call(lr);

    internal override string ExportOnnx(OnnxGraphBuilder g, string lr) => srnet.ExportOnnx(g, lr);

    public Tensor Reduce(Tensor hr) => rrnet.call(hr);

    public Tensor ReduceAndSuperResolve(Tensor hr)
    {
        using var lr = rrnet.call(hr);
        return srnet.call(lr);
    }
}
