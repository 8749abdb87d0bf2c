namespace Sr.Models.Networks;

/// <summary>Options of <see cref="Vdsr"/> (defaults: Kim et al.'s 20 layers of 64 filters).</summary>
public sealed record VdsrOptions
{
    /// <summary>Convolution layers in all (first and last included).</summary>
    public int Depth { get; init; } = 20;

    public int Channels { get; init; } = 64;
}
