// SPSR (Ma et al., TPAMI 2021): SPSR-G (gradient guidance, CVPR 2020) and its neural-structure-extractor variants.
namespace Sr.Models.Spsr;

public enum SpsrVariant
{
    /// <summary>Gradient loss + image-space adversarial loss (CVPR 2020; the official code).</summary>
    G,

    /// <summary>Structure loss with an NSE trained by contrastive prediction, replacing the image-space adversarial loss and both gradient-space losses.</summary>
    P,

    /// <summary>Structure loss with an NSE trained by solving jigsaw puzzles.</summary>
    J,
}
