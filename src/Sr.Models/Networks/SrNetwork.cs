using System.Text.Json.Nodes;
using Sr.Models.Onnx;
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

    /// <summary>
    /// The registry name this network was created under (set by <see cref="Registry.ModelRegistry.Create"/> and by model
    /// files); null for a network constructed directly. Travels into exported ONNX models.
    /// </summary>
    public string? RegistryName { get; internal set; }

    /// <summary>The options JSON the network was created with, when it was created through the registry.</summary>
    public JsonObject? RegistryOptions { get; internal set; }

    /// <summary>
    /// Writes this network's forward into an ONNX graph: <paramref name="input"/> names the N×C×h×w LR value, the result
    /// names the raw N×C×sh×sw output (no clamp), exactly as <c>forward</c> computes it in evaluation mode.
    /// </summary>
    internal virtual string ExportOnnx(OnnxGraphBuilder g, string input) =>
        throw new NotSupportedException($"{GetName} has no ONNX export.");
}
