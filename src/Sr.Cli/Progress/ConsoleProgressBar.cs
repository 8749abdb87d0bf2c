using System.Globalization;

namespace Sr.Cli.Progress;

/// <summary>
/// Progress for long commands: on a terminal, one live line redrawn in place ("[#####-----]  45% status");
/// when output is redirected (CI logs, pipes), a plain line at most every <see cref="PlainInterval"/> so logs stay short.
/// Messages written through <see cref="WriteLine"/> appear above the bar.
/// </summary>
/// <remarks>
/// Plain lines are flushed one by one: a log written through a buffered writer (a StreamWriter, a pipe wrapper) must show
/// each line when it happens, not when a buffer fills or the process ends. Time comes from a <see cref="TimeProvider"/>
/// so that a test can drive hours of updates through a fake clock.
/// </remarks>
public sealed class ConsoleProgressBar : IDisposable
{
    private const int BarWidth = 24;
    private readonly TextWriter _out;
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private long _lastDraw;
    private long? _lastPlain;
    private string _lastLine = "";
    private bool _drawn;

    public ConsoleProgressBar(TextWriter output, bool live, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _out = output;
        Live = live;
        _time = time ?? TimeProvider.System;
        _lastDraw = _time.GetTimestamp();
    }

    /// <summary>Standard output, live exactly when it is a terminal.</summary>
    public static ConsoleProgressBar ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    public bool Live { get; }

    /// <summary>How often plain mode prints a line (the final state is always printed by <see cref="Complete"/>).</summary>
    public TimeSpan PlainInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Shows <paramref name="fraction"/> (0..1, or null when unknown) and a status text.</summary>
    public void Update(double? fraction, string status, bool force = false)
    {
        lock (_gate)
        {
            var line = Format(fraction, status);
            if (Live)
            {
                if (!force && _drawn && _time.GetElapsedTime(_lastDraw) < TimeSpan.FromMilliseconds(100)) { _lastLine = line; return; }
                Draw(line);
            }
            else if (force || _lastPlain is not long last || _time.GetElapsedTime(last) >= PlainInterval)
            {
                _out.WriteLine(line);
                _out.Flush();
                _lastPlain = _time.GetTimestamp();
            }
            _lastLine = line;
        }
    }

    /// <summary>Prints a message on its own line, above the live bar.</summary>
    public void WriteLine(string message)
    {
        lock (_gate)
        {
            if (Live && _drawn) _out.Write("\r" + new string(' ', Math.Min(_lastLine.Length, MaxWidth())) + "\r");
            _out.WriteLine(message);
            if (Live && _drawn) Draw(_lastLine);
            else _out.Flush();
        }
    }

    /// <summary>Draws the final state and ends the line.</summary>
    public void Complete(double? fraction, string status)
    {
        lock (_gate)
        {
            var line = Format(fraction, status);
            if (Live)
            {
                Draw(line);
                _out.WriteLine();
                _drawn = false;
            }
            else
            {
                _out.WriteLine(line);
                _out.Flush();
            }
            _lastLine = "";
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (Live && _drawn) _out.WriteLine();
            _drawn = false;
        }
    }

    private void Draw(string line)
    {
        int max = MaxWidth();
        if (line.Length > max) line = line[..max];
        _out.Write("\r" + line.PadRight(Math.Min(max, Math.Max(line.Length, _lastLine.Length))));
        _out.Flush();
        _drawn = true;
        _lastDraw = _time.GetTimestamp();
    }

    private static int MaxWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? 200 : Math.Max(20, Console.WindowWidth - 1);
        }
        catch (IOException)
        {
            return 200;
        }
    }

    /// <summary>"[#########---------------]  37% status" (or just the status when the fraction is unknown).</summary>
    public static string Format(double? fraction, string status)
    {
        if (fraction is not double f || !double.IsFinite(f)) return status;
        f = Math.Clamp(f, 0, 1);
        int filled = (int)Math.Round(f * BarWidth);
        return "[" + new string('#', filled) + new string('-', BarWidth - filled) + "] " +
               (f * 100).ToString("0", CultureInfo.InvariantCulture).PadLeft(3) + "% " + status;
    }
}
