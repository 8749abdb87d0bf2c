namespace Sr.Torch.Serialization;

/// <summary>
/// A weights file (safetensors or PyTorch <c>.pt/.pth</c>) that cannot be used: truncated, foreign, malformed,
/// holding something other than a state dict of tensors, or not matching the module it is loaded into.
/// The message names the file and the problem.
/// </summary>
public sealed class WeightsFormatException : Exception
{
    public WeightsFormatException(string path, string problem, Exception? inner = null)
        : this(path, problem, $"{path}: {problem}", inner)
    {
    }

    internal WeightsFormatException(string path, string problem, string message, Exception? inner)
        : base(message, inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The message PyTorch users know from <c>torch.load(weights_only=True)</c>, naming the global and the file.</summary>
    internal static WeightsFormatException Refused(string path, string global, string? hint = null)
    {
        var problem = $"refusing to unpickle {global}: only state dicts of tensors are supported{hint}";
        return new(path, problem, $"refusing to unpickle {global} in {path}: only state dicts of tensors are supported{hint}", null);
    }

    public string Path { get; }
    public string Problem { get; }
}
