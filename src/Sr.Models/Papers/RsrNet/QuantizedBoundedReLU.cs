// Learning Reduced-Resolution and Super-Resolution Networks in Synchrony (Cai et al.): Q-BReLU, Eq. (2) and (3), Fig. 5.
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks;

/// <summary>
/// Quantized bilateral ReLU: clamps to [t_min, t_max] and rounds to one of Q evenly spaced levels in the forward
/// pass (Eq. 2); the backward pass is BReLU's (Eq. 3): gradient 1 inside (t_min, t_max), 0 outside.
/// </summary>
/// <remarks>
/// Straight-through form: y = clamp(x); out = y + (q(y) − y).detach(), so the value is q(y) and the gradient is
/// clamp's. The paper gives no values; Fig. 5 shows Q = 4. The default Q = 256 on [0, 1] is the operational reading
/// (RRNet's LR image is saved as an 8-bit file and compressed, Sec. 4.4). Rounding is ⌊z + ½⌋ as Eq. 2 writes it
/// (not torch.round's half-to-even).
/// </remarks>
public sealed class QuantizedBoundedReLU : nn.Module<Tensor, Tensor>
{
    public QuantizedBoundedReLU(int levels = 256, double tMin = 0, double tMax = 1) : base(nameof(QuantizedBoundedReLU))
    {
        if (levels < 2) throw new ArgumentOutOfRangeException(nameof(levels), levels, "Q-BReLU needs at least 2 quantisation levels.");
        if (!(tMax > tMin)) throw new ArgumentException($"t_max ({tMax}) must exceed t_min ({tMin}).", nameof(tMax));
        (Levels, TMin, TMax) = (levels, tMin, tMax);
        RegisterComponents();
    }

    public int Levels { get; }
    public double TMin { get; }
    public double TMax { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        double step = (TMax - TMin) / (Levels - 1);
        var y = x.clamp(TMin, TMax);
        var q = ((y - TMin) / step + 0.5).floor() * step + TMin;
        return (y + (q - y).detach()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The forward value as ONNX, operation for operation (clamp, (y − t_min)/step + ½, floor, · step + t_min, then
    /// y + (q − y)), so float rounding matches libtorch's; the straight-through detach only matters for gradients.
    /// </summary>
    internal string ExportOnnx(OnnxGraphBuilder g, string x)
    {
        double step = (TMax - TMin) / (Levels - 1);
        var y = g.Clip(x, (float)TMin, (float)TMax);
        var q = g.Add(g.Mul(g.Node("Floor", [g.Add(g.Div(g.Sub(y, (float)TMin), (float)step), 0.5f)]), (float)step), (float)TMin);
        return g.Add(y, g.Sub(q, y));
    }

    protected override string ExtraRepr() => $"Q={Levels}, t_min={TMin}, t_max={TMax}";
}
