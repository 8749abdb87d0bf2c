using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Spsr;

namespace Sr.Models.Registry;

/// <summary>
/// The registry of networks by short name (BasicSR-style): <c>btsrn</c>, <c>rsrnet</c>, <c>rsrnet-sr</c>, <c>glrl</c>,
/// <c>lsp</c>, <c>lsp-hsp</c>, <c>srcnn</c>, <c>vdsr</c>, and whatever a third party adds with <see cref="Register"/>.
/// Thread-safe; names are case-insensitive.
/// </summary>
public static class ModelRegistry
{
    private static readonly Lock Gate = new();
    private static readonly List<ModelInfo> Models = [];

    static ModelRegistry()
    {
        foreach (var info in BuiltIn()) Register(info);
        // SPSR (paper 001) and its RRDBNet backbone; their GAN training runs through Spsr/SpsrGanTrainer.
        foreach (var info in SpsrModels.All) Register(info);
        // TODO(imaging): `bicubic` is not a network; the imaging helper's BicubicResolver (an ISuperResolver) is the
        // method behind that name. Register it where resolvers are looked up by name, not here.
    }

    /// <summary>Every registered model, in registration order.</summary>
    public static IReadOnlyList<ModelInfo> All
    {
        get { lock (Gate) return Models.ToArray(); }
    }

    /// <summary>Adds a model. Throws when the name is taken.</summary>
    public static void Register(ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrWhiteSpace(info.Name);
        if (info.Scales.Count == 0) throw new ArgumentException($"Model '{info.Name}' lists no scales.", nameof(info));
        lock (Gate)
        {
            if (Models.Any(m => string.Equals(m.Name, info.Name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"A model named '{info.Name}' is already registered.", nameof(info));
            Models.Add(info);
        }
    }

    public static bool TryGet(string name, out ModelInfo info)
    {
        lock (Gate) info = Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return info is not null;
    }

    /// <summary>The model of that name; an <see cref="ArgumentException"/> listing the known names otherwise.</summary>
    public static ModelInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var info)) return info;
        throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));
    }

    /// <summary>
    /// Builds a network, checking the scale against the model's list and the options against <see cref="ModelLimits"/>
    /// (ranges and the parameter budget) before anything is allocated.
    /// </summary>
    public static SrNetwork Create(string name, int scale, JsonObject? options = null)
    {
        var info = Get(name);
        if (!info.Scales.Contains(scale))
            throw new ArgumentException($"Model '{info.Name}' supports scales {string.Join(", ", info.Scales)}, not {scale}.", nameof(scale));
        ModelLimits.Check(info.Name, scale, options);
        var network = info.Create(scale, options);
        network.RegistryName = info.Name;
        network.RegistryOptions = options;
        return network;
    }

    /// <summary>The built-in papers, each registered by the one class in its folder under Papers/.</summary>
    private static IEnumerable<ModelInfo> BuiltIn() =>
        [.. BtsrnModels.All, .. RsrNetModels.All, .. GlrlModels.All, .. LspHspModels.All, .. BaselineModels.All];

    /// <summary>The scales every built-in network is registered for.</summary>
    internal static readonly int[] Scales = [2, 3, 4];

    /// <summary>A patch edge near the paper's that the scale divides (our networks take LR, so HR patches must be multiples of s).</summary>
    internal static int Multiple(int size, int scale) => Math.Max(scale, (int)Math.Round(size / (double)scale) * scale);

}
