using System.Globalization;
using Sr.Cli.Progress;

namespace Sr.Cli.Tests;

public class ConsoleProgressBarTests : IDisposable
{
    private readonly string _log = Path.Combine(Path.GetTempPath(), $"sr-bar-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_log);

    /// <summary>A clock that moves only when the test says so.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan t) => _ticks += t.Ticks;
    }

    /// <summary>What another process (tail -f, a CI log viewer) sees in the file right now.</summary>
    private string[] VisibleLines()
    {
        using var reader = new StreamReader(new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Plain_mode_keeps_logging_every_interval_through_a_45_minute_run_and_each_line_is_in_the_file_at_once()
    {
        // `sr train … > log`: 45 minutes of a report every 2 s into a buffered file writer (no AutoFlush).
        var clock = new ManualClock();
        using var writer = new StreamWriter(new FileStream(_log, FileMode.Create, FileAccess.Write, FileShare.ReadWrite), bufferSize: 64 * 1024) { AutoFlush = false };
        var bar = new ConsoleProgressBar(writer, live: false, clock) { PlainInterval = TimeSpan.FromSeconds(15) };
        const int total = 45 * 60;
        for (int t = 0; t <= total; t += 2)
        {
            bar.Update((double)t / total, $"t={t}");
            clock.Advance(TimeSpan.FromSeconds(2));
        }
        var times = VisibleLines().Select(l => int.Parse(l[(l.LastIndexOf("t=", StringComparison.Ordinal) + 2)..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(0, times[0]);
        // Updates come every 2 s and a line is due 15 s after the previous one: consecutive lines are 16 s apart, to the end.
        Assert.All(times.Zip(times.Skip(1)), p => Assert.Equal(16, p.Second - p.First));
        Assert.True(times[^1] > total - 16, $"the log ends at t={times[^1]} s of {total} s");
        bar.Complete(1, "done");
        Assert.EndsWith("done", VisibleLines()[^1]);
    }

    [Fact]
    public void Plain_mode_prints_forced_updates_and_messages_at_once()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, live: false, clock);
        bar.Update(0.1, "first");
        bar.Update(0.2, "too soon");
        bar.Update(0.3, "forced", force: true);
        bar.WriteLine("validation 30.00 dB");
        Assert.Equal(["[##----------------------]  10% first", "[#######-----------------]  30% forced", "validation 30.00 dB"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
