using Sr.Models.Networks;
using Sr.Torch;

namespace Sr.Models.Training;

/// <summary>A network being trained, seen as an <see cref="ISuperResolver"/> so the evaluator can measure it (output clamped to [0,1]).</summary>
internal sealed class NetworkResolver(SrNetwork network, string name) : ISuperResolver
{
    public string Name { get; } = name;
    public ColorSpace ColorSpace => network.ColorSpace;
    public IReadOnlyList<int> Scales => [network.Scale];

    public Tensor Upscale(Tensor lr, int scale)
    {
        if (scale != network.Scale) throw new ArgumentException($"{Name} is built for scale {network.Scale}, not {scale}.", nameof(scale));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return network.forward(lr).clamp(0, 1).MoveToOuterDisposeScope();
    }
}
