using System.Globalization;
using System.Runtime.InteropServices;
using Sr.Cli.Progress;
using Sr.Models.Training;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr train`'s run on the console: a live progress bar over a <see cref="TrainingSession"/>, Ctrl-C and SIGTERM as a clean
/// stop (finish the step, write the checkpoint, exit 130 with the command that continues), divergence as exit 3, and the
/// model file at the end.
/// </summary>
internal static class TrainConsole
{
    /// <summary>Runs the session under a progress bar; Ctrl-C and SIGTERM finish the step and write a checkpoint (exit 130).</summary>
    public static int Run(TrainingSession session, TrainingOptions options, TrainCommand.Arguments a, TrainingFiles files, TextWriter stdout, TextWriter stderr)
    {
        using var bar = new ConsoleProgressBar(stdout, live: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        using var cts = new CancellationTokenSource();
        bool interrupted = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupted) return; // a second Ctrl-C ends the process at once
            interrupted = true;
            e.Cancel = true;
            cts.Cancel();
            bar.WriteLine("interrupt: finishing the current step and writing a checkpoint … (Ctrl-C again to abort at once)");
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, systemd, a scheduler's time limit) is handled as Ctrl-C: finish the step, write the checkpoint.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            if (interrupted) return; // a second signal ends the process at once
            interrupted = true;
            ctx.Cancel = true;
            cts.Cancel();
            bar.WriteLine("terminate signal: finishing the current step and writing a checkpoint …");
        });
        TrainingResult result;
        try
        {
            var progress = new Reporter(p =>
            {
                var text = Status(p);
                if (p.Event == "validate" && p.LastValidation is { } v) bar.WriteLine($"step {p.Step}: validation PSNR {v.Psnr:F2} dB ({v.Protocol})");
                bar.Update(p.Fraction, text);
            });
            result = session.Run(options, progress, cts.Token);
        }
        catch (TrainingDivergedException e)
        {
            bar.Dispose();
            stderr.WriteLine("error: " + e.Message);
            return TrainCommand.ExitDiverged;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        bar.Complete(1, $"step {result.Step}, loss {result.LastLoss:G4}" + (result.LastValidation is { } lv ? $", validation {lv.Psnr:F2} dB" : "") + $", {result.Elapsed.TotalMinutes:F1} min");
        return Finish(session, result, options, a, files, stdout, stderr);
    }

    private static int Finish(TrainingSession session, TrainingResult result, TrainingOptions options, TrainCommand.Arguments a, TrainingFiles files, TextWriter stdout, TextWriter stderr)
    {
        if (result.StopReason == TrainingStopReason.Cancelled)
        {
            stderr.WriteLine($"cancelled at step {result.Step}; checkpoint {files.Checkpoint}. Continue with: sr train --resume {files.Checkpoint} -o {a.Output}" +
                (a.Steps is long st ? $" --steps {st}" : "") + (a.Minutes is double mm ? $" --minutes {mm.ToString(CultureInfo.InvariantCulture)}" : ""));
            return TrainCommand.ExitCancelled;
        }
        session.SaveModel(files.Model, result, options.CheckpointMetadata);
        stdout.WriteLine($"wrote {files.Model} ({result.StopReason switch { TrainingStopReason.StepsReached => "step bound reached", TrainingStopReason.TimeBudgetSpent => "time budget spent", _ => "stopped" }})");
        return 0;
    }

    private static string Status(TrainingProgress p)
    {
        var parts = new List<string>
        {
            p.MaxSteps is long m ? $"step {p.Step}/{m}" : $"step {p.Step}",
            $"loss {p.Loss:G4}",
            $"{p.StepsPerSecond:F2} step/s",
            $"lr {p.LearningRate:G3}",
        };
        if (p.LastValidation is { } v) parts.Add($"val {v.Psnr:F2} dB");
        if (p.Budget is { } b) parts.Add($"{Clock(p.Elapsed)}/{Clock(b)}");
        return string.Join("  ", parts);
    }

    private static string Clock(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";

    private sealed class Reporter(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }
}
