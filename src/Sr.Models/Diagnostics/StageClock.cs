using System.Diagnostics;
using System.Globalization;

namespace Sr.Models.Diagnostics;

/// <summary>
/// Per-stage wall-clock timing of a job (decode, colour conversion, chroma resize, network, encode, …), off unless a
/// caller starts one: the library marks stage ends with <see cref="Mark"/>, which costs one null check when no clock runs.
/// The clock is per thread (the main job runs on one). `sr upscale` prints its stages when SR_TIMINGS=1.
/// </summary>
public sealed class StageClock
{
    [ThreadStatic] private static StageClock? _current;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly List<(string Stage, double Seconds)> _stages = [];
    private double _last;

    /// <summary>The clock running on this thread, or null.</summary>
    public static StageClock? Current => _current;

    /// <summary>Starts a clock on this thread (replacing any) and returns it.</summary>
    public static StageClock Start() => _current = new StageClock();

    /// <summary>Stops this thread's clock.</summary>
    public static void Stop() => _current = null;

    /// <summary>Ends the current stage on this thread's clock (if any): the time since the previous mark is added to <paramref name="stage"/>.</summary>
    public static void Mark(string stage) => _current?.Add(stage);

    /// <summary>Adds the time since the previous mark to <paramref name="stage"/>.</summary>
    public void Add(string stage)
    {
        double now = _watch.Elapsed.TotalSeconds;
        Record(stage, now - _last);
        _last = now;
    }

    /// <summary>Adds a time measured elsewhere (e.g. process start-up before the clock existed).</summary>
    public void Record(string stage, double seconds)
    {
        int i = _stages.FindIndex(s => s.Stage == stage);
        if (i >= 0) _stages[i] = (stage, _stages[i].Seconds + seconds);
        else _stages.Add((stage, seconds));
    }

    /// <summary>The stages in order of first mark, with their summed seconds.</summary>
    public IReadOnlyList<(string Stage, double Seconds)> Stages => _stages;

    /// <summary>"stage=seconds" pairs on one line (invariant culture), as `sr upscale` prints them with SR_TIMINGS=1.</summary>
    public string Format() =>
        string.Join(" ", _stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage}={s.Seconds:F4}")));
}
