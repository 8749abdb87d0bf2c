// ESRGAN (Wang et al., ECCVW 2018), Fig. 4: the residual-in-residual dense block (RRDB); SPSR (Ma et al., CVPR 2020,
// Fig. 3) uses it as the SR-branch block (64 channels), the gradient block and the fusion block (128 channels).
using Sr.Models.Onnx;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks.Spsr;

/// <summary>Three RDBs in sequence with a 0.2-scaled outer residual: out = 0.2·RDB3(RDB2(RDB1(x))) + x.</summary>
public sealed class Rrdb : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ResidualDenseBlock RDB1, RDB2, RDB3;

    public Rrdb(long nc, long gc = 32) : base("RRDB")
    {
        RDB1 = new ResidualDenseBlock(nc, gc);
        RDB2 = new ResidualDenseBlock(nc, gc);
        RDB3 = new ResidualDenseBlock(nc, gc);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var o = RDB3.call(RDB2.call(RDB1.call(x)));
        return o.mul(ResidualDenseBlock.ResidualScale).add(x).MoveToOuterDisposeScope();
    }

    string IOnnxExportable.ExportOnnx(OnnxGraphBuilder g, string x) =>
        g.Add(g.Mul(g.Module(RDB3, g.Module(RDB2, g.Module(RDB1, x))), (float)ResidualDenseBlock.ResidualScale), x);
}
