namespace Sr.Models.Networks;

/// <summary>
/// Options of <see cref="LspHsp"/>. The paper's layer table (Table 1 / Fig. 1 sizes) is missing from our copy, so
/// every size here is our choice (notes §1.3), named once.
/// </summary>
public sealed record LspHspOptions
{
    /// <summary>LR feature maps of the first convolution.</summary>
    public int Features { get; init; } = 64;

    /// <summary>Kernel of the first convolution (LR).</summary>
    public int FeatureKernel { get; init; } = 5;

    /// <summary>Output maps of the Shepard-normalised deconvolution.</summary>
    public int ShepardChannels { get; init; } = 32;

    /// <summary>Kernel of the Shepard-normalised deconvolution on the HR grid; 0 = 2s + 1 (covers the LR lattice gaps).</summary>
    public int ShepardKernel { get; init; }

    /// <summary>Kernel of the HSP convolution (HR).</summary>
    public int HspKernel { get; init; } = 5;

    /// <summary>
    /// α of Eq. (4): weight of the boundary map in the HSP target. 0 = LSP alone (the boundary term is dropped). The paper
    /// gives no value; 0.1 is our choice for Sobel-edge targets (no BSDS500 annotations here), which compete with the image:
    /// Set14 ×2 after 3,000 steps from T91 (Adam 1e-3, τ = 0.1): α = 1 28.43 dB, α = 0.1 29.78 dB, α = 0 (lsp) 30.18 dB.
    /// </summary>
    public double BoundaryWeight { get; init; } = 0.1;

    /// <summary>Move LR pixels away from edges on the HR grid (false = the regular lattice: a plain normalised deconvolution).</summary>
    public bool PixelPlacement { get; init; } = true;

    /// <summary>Direction of the move: false = away from the edge crest (the paper's words), true = toward it (for comparison).</summary>
    public bool PlacementTowardEdge { get; init; }

    /// <summary>
    /// Gradient magnitude (central differences, intensities in [0,1]) above which an LR pixel is moved. 0.1 moves only at
    /// strong edges. Chosen on Set14 ×2 after 3,000 steps from T91 (Adam 1e-3): τ = 0.02 29.08 dB, τ = 0.1 30.18 dB, no
    /// placement 31.12 dB; at ×2 a move is half the LR lattice spacing, so every move is a large one.
    /// </summary>
    public double PlacementThreshold { get; init; } = 0.1;
}
