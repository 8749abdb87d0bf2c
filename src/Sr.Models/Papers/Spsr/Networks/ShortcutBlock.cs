// ESRGAN (Wang et al., ECCVW 2018), Fig. 3: the long skip around the RRDB trunk ("basic block" + LR conv), kept as
// upstream's ShortcutBlock so its weights are named model.1.sub.N (Maclory/SPSR block.py).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks.Spsr;

/// <summary>out = x + sub(x), where sub = nb RRDBs followed by the LR conv.</summary>
public sealed class ShortcutBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    public readonly nn.Sequential sub;

    public ShortcutBlock(nn.Sequential sub) : base("ShortcutBlock")
    {
        this.sub = sub;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var s = sub.call(x);
        return x.add(s);
    }

    string IOnnxExportable.ExportOnnx(OnnxGraphBuilder g, string x) => g.Add(x, g.Module(sub, x));
}
