using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sr.Models.Registry;

/// <summary>
/// Sanity limits on a network's size options and an estimate of its parameter count from the options alone, so that a
/// model file (or an options file) describing a huge network is refused before any network is built: a few bytes of
/// JSON can otherwise ask libtorch for tens of gigabytes. The limits are far above every paper's settings.
/// </summary>
public static class ModelLimits
{
    /// <summary>Largest channel/feature count an option may ask for (papers: ≤ 128; SPSR's fusion uses 2·nf).</summary>
    public const int MaxChannels = 4096;

    /// <summary>Largest block/layer/unit count (papers: ≤ 23 RRDBs, 20 VDSR layers).</summary>
    public const int MaxBlocks = 1024;

    /// <summary>Largest convolution kernel edge an option may ask for (papers: ≤ 9).</summary>
    public const int MaxKernel = 63;

    /// <summary>The default budget for a network's parameters: 1 GiB of float32 (268M parameters; SPSR-G has 24.8M).</summary>
    public const long DefaultMaxParameterBytes = 1L << 30;

    /// <summary>
    /// The parameter budget in bytes (float32 = 4 bytes per parameter) checked before a network is built. Defaults to
    /// <see cref="DefaultMaxParameterBytes"/>; the environment variable <c>SRMLNET_MAX_MODEL_BYTES</c> overrides it.
    /// </summary>
    public static long MaxParameterBytes { get; set; } =
        long.TryParse(Environment.GetEnvironmentVariable("SRMLNET_MAX_MODEL_BYTES"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : DefaultMaxParameterBytes;

    /// <summary>An option's permitted range.</summary>
    private readonly record struct Limit(string Name, int Min, int Max, int Default);

    /// <summary>
    /// The parameter count of <paramref name="model"/> ×<paramref name="scale"/> built with <paramref name="options"/>, and
    /// whether the count is exact (every parameter) or a lower bound (the dominant blocks only: SPSR and RRDBNet).
    /// Null for a model this table does not know (a third-party registration): only the budget of its file applies.
    /// Checks every size option against the limits first; an out-of-range or non-integer option throws
    /// <see cref="ArgumentException"/> with our message (which option, which range, which value).
    /// </summary>
    public static (long Parameters, bool Exact)? Estimate(string model, int scale, JsonObject? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.ToLowerInvariant();
        var limits = LimitsOf(name);
        if (limits is null) return null;
        var o = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var l in limits) o[l.Name] = Read(model, options, l);
        // conv(i, o, k): weight i·o·k² plus a bias of o.
        static double Conv(double i, double outs, double k) => i * outs * k * k + outs;
        double s = scale, p;
        bool exact = true;
        switch (name)
        {
            case "vdsr":
            {
                double c = o["Channels"], d = o["Depth"];
                p = Conv(1, c, 3) + (d - 2) * Conv(c, c, 3) + Conv(c, 1, 3);
                break;
            }
            case "srcnn":
                p = Conv(1, o["N1"], o["F1"]) + Conv(o["N1"], o["N2"], o["F2"]) + Conv(o["N2"], 1, o["F3"]);
                break;
            case "glrl":
            {
                double c = o["Channels"], b = o["Blocks"];
                p = Conv(1, c, 3) + c + Conv(c, c, 3) + b * (3 * c + 3 * Conv(c, c, 3)) + c + Conv(c, c, 3) + c + Conv(c, 1, 3) + b;
                break;
            }
            case "rsrnet-sr" or "rsrnet":
            {
                double f = o["Features"], u = o["DenseUnits"];
                p = Conv(1, f, 3) + Conv((u + 1) * f, s * s, 1);
                for (int k = 1; k <= u; k++) p += Conv(k * f, f, 1) + Conv(f, f, 3);
                if (name == "rsrnet") p += Conv(1, f, 3) + 2 * Conv(f, f, 3) + Conv(f, 1, s);
                break;
            }
            case "btsrn":
            {
                double c = o["Channels"], b = o["Bottleneck"];
                double block = Conv(c, b, 1) + Conv(b, c, 3);
                double up = scale == 4 ? 2 * Conv(c, c, 2) + block : Conv(c, c, s);
                p = Conv(3, c, 1) + (o["LrBlocks"] + o["HrBlocks"]) * block + up + Conv(c, 3, 1);
                break;
            }
            case "lsp" or "lsp-hsp":
            {
                double f = o["Features"], sc = o["ShepardChannels"];
                double k = o["ShepardKernel"] > 0 ? o["ShepardKernel"] : 2 * s + 1;
                p = Conv(1, f, o["FeatureKernel"]) + Conv(f, sc, k) + Conv(sc, 2, o["HspKernel"]);
                break;
            }
            case "rrdbnet" or "spsr-g" or "spsr-p" or "spsr-j":
            {
                // The RRDB trunk (nb blocks of three 5-conv dense blocks) dominates; SPSR adds five RRDBs of 2·nf.
                double nf = o["nf"], gc = o["gc"];
                double Rdb(double nc) => Conv(nc, gc, 3) + Conv(nc + gc, gc, 3) + Conv(nc + 2 * gc, gc, 3) + Conv(nc + 3 * gc, gc, 3) + Conv(nc + 4 * gc, nc, 3);
                p = o["nb"] * 3 * Rdb(nf) + Conv(3, nf, 3) + Conv(nf, nf, 3);
                if (name != "rrdbnet") p += 5 * 3 * Rdb(2 * nf);
                exact = false;
                break;
            }
            default:
                return null;
        }
        // Computed in double: options near int.MaxValue would overflow long arithmetic, and the budget check needs only magnitude.
        return (p >= long.MaxValue ? long.MaxValue : (long)p, exact);
    }

    /// <summary>
    /// Checks <paramref name="model"/>'s options (ranges, then the estimated parameter bytes against <see cref="MaxParameterBytes"/>)
    /// and returns the estimate. Throws <see cref="ArgumentException"/> naming the option or the size.
    /// </summary>
    public static (long Parameters, bool Exact)? Check(string model, int scale, JsonObject? options)
    {
        var estimate = Estimate(model, scale, options);
        if (estimate is { } e && (double)e.Parameters * 4 > MaxParameterBytes)
            throw new ArgumentException(
                $"options for model '{model}' ×{scale} describe a network of {(e.Exact ? "" : "at least ")}{e.Parameters:N0} parameters " +
                $"({e.Parameters * 4.0 / (1 << 20):N0} MiB), over the budget of {MaxParameterBytes / (1 << 20):N0} MiB " +
                "(SRMLNET_MAX_MODEL_BYTES raises it); refused before building it");
        return estimate;
    }

    private static Limit[]? LimitsOf(string name)
    {
        Limit Ch(string n, int d) => new(n, 1, MaxChannels, d);
        Limit Bl(string n, int d, int min = 1) => new(n, min, MaxBlocks, d);
        Limit K(string n, int d, int min = 1) => new(n, min, MaxKernel, d);
        return name switch
        {
            "vdsr" => [Ch("Channels", 64), new("Depth", 2, MaxBlocks, 20)],
            "srcnn" => [K("F1", 9), K("F2", 1), K("F3", 5), Ch("N1", 64), Ch("N2", 32)],
            "glrl" => [Ch("Channels", 64), Bl("Blocks", 3), Bl("Units", 2)],
            "rsrnet" or "rsrnet-sr" => [Ch("Features", 64), Bl("DenseUnits", 3), new("Levels", 2, 65536, 256)],
            "btsrn" => [Bl("LrBlocks", 6, 0), Bl("HrBlocks", 4, 0), Ch("Channels", 128), Ch("Bottleneck", 64)],
            "lsp" or "lsp-hsp" => [Ch("Features", 64), K("FeatureKernel", 5), Ch("ShepardChannels", 32), K("ShepardKernel", 0, 0), K("HspKernel", 5)],
            "rrdbnet" or "spsr-g" or "spsr-p" or "spsr-j" =>
                [Ch("nf", Networks.Spsr.RrdbNet.PaperFeatures), Bl("nb", Networks.Spsr.RrdbNet.PaperBlocks), Ch("gc", Networks.Spsr.RrdbNet.PaperGrowth)],
            _ => null,
        };
    }

    /// <summary>An integer option (any letter case) or its default, checked against its range.</summary>
    private static long Read(string model, JsonObject? options, Limit l)
    {
        var node = options?.FirstOrDefault(p => string.Equals(p.Key, l.Name, StringComparison.OrdinalIgnoreCase)).Value;
        if (node is null) return l.Default;
        // Through a JsonElement: a parsed file and a JsonObject built in code (JsonValue<int>) read alike.
        var element = JsonSerializer.SerializeToElement(node);
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long v))
            throw new ArgumentException($"option '{l.Name}' of model '{model}' must be a whole number in {l.Min}..{l.Max}, got " +
                (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double d) ? d.ToString(CultureInfo.InvariantCulture) : node.ToJsonString()));
        if (v < l.Min || v > l.Max)
            throw new ArgumentException(v < l.Min && v <= 0 && l.Min > 0
                ? $"option '{l.Name}' of model '{model}' must be positive (1..{l.Max}), got {v}"
                : $"option '{l.Name}' of model '{model}' is {v}, outside the range {l.Min}..{l.Max} this SrMlNet accepts");
        return v;
    }
}
