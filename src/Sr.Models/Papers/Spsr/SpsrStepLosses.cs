// SPSR (Ma et al., CVPR 2020 Eq. 8 / TPAMI 2021 Eq. 17): the weighted loss terms of one training iteration, for logs.
namespace Sr.Models.Spsr;

/// <summary>
/// Weighted terms of one iteration (0 where a term is off or G was not updated). D losses are the unweighted RaGAN
/// discriminator losses. <see cref="FusionOnly"/> says whether only the fusion block trained.
/// </summary>
public sealed record SpsrStepLosses
{
    public int Iteration { get; init; }
    public bool FusionOnly { get; init; }
    public bool GeneratorUpdated { get; init; }
    public double Pixel { get; init; }
    public double Perceptual { get; init; }
    public double ImageGan { get; init; }
    public double GradientPixel { get; init; }
    public double GradientGan { get; init; }
    public double Branch { get; init; }
    public double StructurePixel { get; init; }
    public double StructureGan { get; init; }
    public double GeneratorTotal { get; init; }
    public double ImageDiscriminator { get; init; }
    public double GradientDiscriminator { get; init; }
    public double StructureDiscriminator { get; init; }
}
