using Sr.Torch;

namespace Sr.Models.Networks;

/// <summary>
/// The base of every SR network: a module from LR (N×C×h×w, float32, [0,1]) to SR (N×C×s·h×s·w), built for one scale.
/// Subclasses keep their submodules in fields named as the paper's figure so state-dict keys read like PyTorch's.
/// </summary>
public abstract class SrNetwork : torch.nn.Module<Tensor, Tensor>
{
    protected SrNetwork(string name, int scale, ColorSpace colorSpace) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        Scale = scale;
        ColorSpace = colorSpace;
    }

    public int Scale { get; }

    public ColorSpace ColorSpace { get; }

    public int Channels => ColorSpace == ColorSpace.Y ? 1 : 3;

    /// <summary>
    /// Pixels the network needs around a tile so that tiled inference equals whole-image inference
    /// (its receptive-field radius in LR pixels; 0 for purely local networks).
    /// </summary>
    public virtual int ReceptiveFieldRadius => 16;
}
