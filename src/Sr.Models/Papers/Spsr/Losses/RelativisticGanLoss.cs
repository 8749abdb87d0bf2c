// Relativistic average GAN (Jolicoeur-Martineau 2018) as ESRGAN and SPSR code it (Maclory/SPSR SPSR_model.py,
// GANLoss 'vanilla' = BCEWithLogits): D_Ra(a, b) = σ(C(a) − E_b[C(b)]), both terms halved.
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Losses;

/// <summary>
/// Discriminator: ½[BCE(C(real) − mean C(fake), 1) + BCE(C(fake) − mean C(real), 0)].
/// Generator:     ½[BCE(C(real) − mean C(fake), 0) + BCE(C(fake) − mean C(real), 1)], with C(real) detached.
/// Means are over the batch, so batch statistics matter: with one sample the relative logits are ±(C(real) − C(fake)).
/// </summary>
public static class RelativisticGanLoss
{
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits) => Halved(realLogits, fakeLogits, realIsReal: true);

    /// <summary>The generator's loss; <paramref name="realLogits"/> is detached here (upstream detaches D(HR) in the G step).</summary>
    public static Tensor Generator(Tensor realLogits, Tensor fakeLogits)
    {
        using var real = realLogits.detach();
        return Halved(real, fakeLogits, realIsReal: false);
    }

    private static Tensor Halved(Tensor real, Tensor fake, bool realIsReal)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        using var scope = NewDisposeScope();
        var realRel = real.sub(fake.mean());
        var fakeRel = fake.sub(real.mean());
        var lReal = F.binary_cross_entropy_with_logits(realRel, realIsReal ? ones_like(realRel) : zeros_like(realRel));
        var lFake = F.binary_cross_entropy_with_logits(fakeRel, realIsReal ? zeros_like(fakeRel) : ones_like(fakeRel));
        return lReal.add(lFake).div(2).MoveToOuterDisposeScope();
    }
}
