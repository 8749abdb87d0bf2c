namespace Sr.Torch;

public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>Where a tensor lives. CUDA works only when the shim was built against a CUDA libtorch.</summary>
public sealed record Device(DeviceType type, int index = -1)
{
    public static Device Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Trim().ToLowerInvariant().Split(':');
        var type = parts[0] switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            _ => throw new ArgumentException($"Unknown device '{spec}': expected 'cpu', 'cuda' or 'cuda:N'.", nameof(spec)),
        };
        int index = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : -1;
        return new Device(type, index);
    }

    public static implicit operator Device(string spec) => Parse(spec);

    public override string ToString() => type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";
}
