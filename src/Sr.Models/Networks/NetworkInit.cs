using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Networks;

/// <summary>
/// The weight initialisations the papers name (Caffe's MSRA and Gaussian fillers, TensorFlow's Glorot default),
/// applied in place without autograd. Biases are zero in every paper's framework (Caffe and TF defaults).
/// </summary>
internal static class NetworkInit
{
    /// <summary>He et al. ("MSRA", Caffe's filler): N(0, 2/fan_in); zero bias.</summary>
    public static void Msra(nn.Conv2d conv)
    {
        var (fanIn, _) = nn.init.calculate_fan_in_and_fan_out(conv.weight);
        nn.init.normal_(conv.weight, 0, Math.Sqrt(2.0 / fanIn));
        if (conv.bias is not null) nn.init.zeros_(conv.bias);
    }

    /// <summary>Gaussian N(0, σ²) weights, zero bias (SRCNN; RSRNet's residual layers with σ = 0.001).</summary>
    public static void Gaussian(nn.Conv2d conv, double std)
    {
        nn.init.normal_(conv.weight, 0, std);
        if (conv.bias is not null) nn.init.zeros_(conv.bias);
    }

    /// <summary>TensorFlow 1.x's default for conv layers: Glorot-uniform weights, zero bias (BTSRN's official code).</summary>
    public static void Glorot(Tensor weight, Tensor? bias)
    {
        nn.init.xavier_uniform_(weight);
        if (bias is not null) nn.init.zeros_(bias);
    }
}
