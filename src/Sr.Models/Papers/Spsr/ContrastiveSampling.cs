// SPSR-P (Ma et al., TPAMI 2021, §4.2 Fig. 5 and App. B.1 Fig. 13): where the context features of contrastive
// prediction sit around the target.
namespace Sr.Models.Spsr;

public enum ContrastiveSampling
{
    /// <summary>Two horizontal neighbours, left and right of the target (the paper's default, SPSR-P-h).</summary>
    Horizontal,

    /// <summary>Two vertical neighbours, above and below (SPSR-P-v).</summary>
    Vertical,

    /// <summary>The four ends of a cross around the target (SPSR-P-c).</summary>
    Cross,
}
