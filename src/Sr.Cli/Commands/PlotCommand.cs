using System.CommandLine;
using Sr.Models.Training;
using Sr.Plots;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr plot &lt;run.log.csv&gt; [-o curves.png]`: redraws a run's curves from its log (what `sr train` draws as it goes), e.g. for
/// a run trained by an older build or logged by the pipeline.
/// </summary>
public static class PlotCommand
{
    public static Command Create()
    {
        var log = new Argument<string>("log") { Description = "A training log CSV (the <output>.log.csv that sr train writes)." };
        var output = new Option<string?>("--output", "-o") { Description = "The PNG to write (default: the log's name with .curves.png)." };
        var title = new Option<string?>("--title") { Description = "The figure's title (default: the run's name)." };
        var cmd = new Command("plot", "Draw a training run's curves (loss and validation PSNR against steps and minutes) from its log CSV.") { log, output, title };
        cmd.SetAction(parse =>
        {
            string csv = parse.GetValue(log)!;
            if (!File.Exists(csv))
            {
                Console.Error.WriteLine($"error: {csv}: no such file (give the <output>.log.csv written by sr train).");
                return 2;
            }
            var header = File.ReadLines(csv).FirstOrDefault();
            if (header != TrainingLog.Header)
            {
                Console.Error.WriteLine($"error: {csv}: not a training log (its first line should be '{TrainingLog.Header}').");
                return 2;
            }
            string png = parse.GetValue(output) ?? DefaultOutput(csv);
            var rows = new TrainingLog(csv, null);
            rows.LoadExisting(long.MaxValue);
            try
            {
                new TrainingCurvesPlot { Title = parse.GetValue(title) ?? Path.GetFileName(DefaultOutput(csv))[..^".curves.png".Length] }.WritePng(png, rows.Rows);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {png}: {CliErrors.Describe(e)}");
                return 1;
            }
            Console.WriteLine($"{png}: {rows.Rows.Count(r => r.Loss is not null)} loss rows, {rows.Rows.Count(r => r.ValidationPsnr is not null)} validations");
            return 0;
        });
        return cmd;
    }

    private static string DefaultOutput(string csv)
    {
        string name = Path.GetFileName(csv);
        string stem = name.EndsWith(".log.csv", StringComparison.OrdinalIgnoreCase) ? name[..^".log.csv".Length] : Path.GetFileNameWithoutExtension(name);
        return Path.Combine(Path.GetDirectoryName(csv) ?? "", stem + ".curves.png");
    }
}

/// <summary>
/// The curves renderer of `sr train`: a figure that cannot be drawn (say, no font installed) is reported once on stderr and
/// then skipped — it must not stop a long run, whose checkpoint and log go on being written.
/// </summary>
internal sealed class WarnOnceCurves(ICurvesRenderer inner, TextWriter warnings) : ICurvesRenderer
{
    private bool _failed;

    public void WritePng(string path, IReadOnlyList<TrainingLog.Row> rows)
    {
        if (_failed) return;
        try
        {
            inner.WritePng(path, rows);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException or TypeInitializationException or DllNotFoundException)
        {
            _failed = true;
            warnings.WriteLine($"warning: {path}: the curves are not drawn for the rest of this run: {CliErrors.Describe(e)}");
        }
    }
}
