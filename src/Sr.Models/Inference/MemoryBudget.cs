using System.Globalization;

namespace Sr.Models.Inference;

/// <summary>
/// How much tensor memory one upscale may use: the network runs in tiles when the whole image would need more, and
/// large images are converted and recombined in strips. The default is a fraction (1/32) of the machine's memory
/// (MemTotal in /proc/meminfo), at least 256 MiB; SR_MEMORY_BUDGET_MB or <see cref="InferenceOptions.MemoryBudgetBytes"/>
/// (`sr upscale --memory-budget`) set it. Tiling is exact (context ≥ the receptive-field radius), so the budget changes
/// memory and speed, never the pixels beyond float rounding.
/// </summary>
public static class MemoryBudget
{
    /// <summary>The environment variable that sets the default budget, in MiB.</summary>
    public const string EnvironmentVariable = "SR_MEMORY_BUDGET_MB";

    private const long MiB = 1L << 20;
    private static readonly Lazy<long> Default = new(ComputeDefault);

    /// <summary>The budget in bytes when nothing else is said: SR_MEMORY_BUDGET_MB, else MemTotal/32 (≥ 256 MiB).</summary>
    public static long DefaultBytes => Default.Value;

    /// <summary>The budget of <paramref name="options"/> (its own when set, else <see cref="DefaultBytes"/>).</summary>
    public static long Of(InferenceOptions? options) => options?.MemoryBudgetBytes is long b && b > 0 ? b : DefaultBytes;

    /// <summary>Total memory of the machine from /proc/meminfo, or null where it cannot be read.</summary>
    public static long? MachineBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)) return kb * 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    private static long ComputeDefault()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            if (long.TryParse(env, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0) return mb * MiB;
            throw new ArgumentException($"{EnvironmentVariable}={env}: expected a positive number of MiB.");
        }
        long total = MachineBytes() ?? 8L << 30;
        return Math.Max(256 * MiB, total / 32);
    }
}
