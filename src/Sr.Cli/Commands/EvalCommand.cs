using System.CommandLine;
using Sr.Models;
using Sr.Models.Evaluation;
using Sr.Models.Imaging;
using Sr.Models.Inference;
using Sr.Models.Upscaling;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr eval --model bicubic --data &lt;folder|manifest.json&gt; --scale s [--protocol y-shave] [--lpips weights] [--json f] [--csv f] [--markdown f] [--report dir]`:
/// measures a method on a folder of HR images (or a dataset manifest) and prints the per-image table and the mean.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var f = new Flags();
        var cmd = new Command("eval", "Measure PSNR/SSIM (and LPIPS with --lpips) of a method on a folder of HR images under an explicit protocol.");
        foreach (var option in f.All) cmd.Options.Add(option);
        cmd.SetAction(parse =>
        {
            try
            {
                return Run(parse, f);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException
                or OperationCanceledException or Sr.Torch.io.ImageFormatException or Sr.Torch.TorchException)
            {
                // One line for the user (System.CommandLine would print a stack trace); 2 = bad arguments, 1 = failure.
                var message = e is ArgumentException { ParamName: { } p } ae ? ae.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : CliErrors.Describe(e);
                Console.Error.WriteLine($"error: {message}");
                return e is ArgumentException ? 2 : 1;
            }
        });
        return cmd;
    }

    private static int Run(ParseResult parse, Flags f)
    {
        var modelName = parse.GetValue(f.Model)!;
        // A model file was trained for one scale: that is the default; bicubic and "default" serve every scale, so they need --scale.
        int s = parse.GetValue(f.Scale) ?? Sr.Models.Upscaling.ModelLoader.ScaleOf(modelName)
            ?? throw new ArgumentException($"--scale is required with --model {modelName} (it serves every scale); e.g. --scale 2.");
        if (s < 1) throw new ArgumentException($"--scale must be ≥ 1, got {s}.");
        var proto = EvalProtocol.Parse(parse.GetValue(f.Protocol)!);
        var lrDir = parse.GetValue(f.LrFolder);
        if (lrDir is null && parse.GetValue(f.LrPattern) is not null) throw new ArgumentException("--lr-pattern needs --lr <folder of LR images>.");
        if (lrDir is not null && parse.GetValue(f.Degradation) is { } given)
            throw new ArgumentException($"--degradation {given} and --lr exclude each other: with --lr the LR images are the given files.");
        var pairing = lrDir is null ? null : new LrPairing(lrDir, parse.GetValue(f.LrPattern));
        // Plain "bicubic" means bicubic in the protocol's colour space (on Y for the papers' tables, on RGB for RGB protocols).
        if (string.Equals(modelName, "bicubic", StringComparison.OrdinalIgnoreCase) && proto.ColorSpace == ColorSpace.Rgb) modelName = "bicubic-rgb";
        var method = BackendOption.Parse(parse.GetValue(f.Backend)) == InferenceBackend.Onnx
            ? LoadForOnnx(modelName, s)
            : ModelLoader.Load(modelName, s);
        int cropImages = parse.GetValue(f.ReportImages);
        if (cropImages < 0) throw new ArgumentException($"--report-images must be ≥ 0, got {cropImages}.");
        var page = parse.GetValue(f.Report) is { } reportDir ? new HtmlReport(reportDir, cropImages) : null;
        // The page's crops come from the evaluation itself (no second run of the method).
        // "own": the model's learned down-scaler makes the LR (RSRNet's protocol), instead of a fixed degradation.
        var degradationName = parse.GetValue(f.Degradation) ?? Sr.Models.SrDefaults.Degradation;
        IDegradation lrFrom = string.Equals(degradationName, "own", StringComparison.OrdinalIgnoreCase)
            ? new LearnedReduction((method as NetworkSuperResolver)?.Network
                ?? throw new ArgumentException($"--degradation own needs a network model with a learned down-scaler (rsrnet), not '{modelName}'."))
            : Degradations.Parse(degradationName);
        using var lpipsMetric = parse.GetValue(f.Lpips) is { } lpipsPath ? LoadLpips(lpipsPath) : null;
        var evaluator = new SrEvaluator(proto, lrFrom, parse.GetValue(f.Seed)) { ImageObserver = page is null ? null : page.Add, Lpips = lpipsMetric };

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new ConsoleProgress();
            var source = parse.GetValue(f.Data)!;
            EvalReport report;
            if (pairing is not null)
            {
                if (!Directory.Exists(source)) throw new ArgumentException($"--lr pairs with a folder of HR images; {source} is not a folder.");
                report = evaluator.EvaluateFolderWithLr(source, pairing, method, s, progress: progress, cancellationToken: cts.Token);
            }
            else if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(source))
            {
                var manifest = DatasetManifest.Load(source);
                report = evaluator.EvaluateManifest(manifest, parse.GetValue(f.DataRoot) ?? DefaultDataRoot(), method, s, progress, cts.Token);
            }
            else
            {
                report = evaluator.EvaluateFolder(source, method, s, progress: progress, cancellationToken: cts.Token);
            }
            progress.Done();
            WriteOutputs(parse, f, report, page, modelName, s);
            return report.MeasuredCount > 0 ? 0 : 3;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The table on stdout, the skipped images on stderr, and the files asked for (JSON, CSV, Markdown, the HTML page).</summary>
    private static void WriteOutputs(ParseResult parse, Flags f, EvalReport report, HtmlReport? page, string modelName, int s)
    {
        Console.Write(report.ToMarkdown());
        // The table (stdout, often redirected to a file) has the reasons too; stderr says them where the user looks.
        foreach (var row in report.Images.Where(r => r.Outcome == EvalOutcome.Skipped))
            Console.Error.WriteLine($"skipped: {row.Name}: {row.Note}");
        if (parse.GetValue(f.Json) is { } j) report.SaveJson(j);
        if (parse.GetValue(f.Csv) is { } c) report.SaveCsv(c);
        if (parse.GetValue(f.Markdown) is { } m) report.SaveMarkdown(m);
        if (page is not null)
        {
            page.Write(report, Provenance(parse, modelName, s));
            Console.Error.WriteLine($"report: {Path.Combine(page.Directory, HtmlReport.IndexFileName)} ({page.CropsWritten.Count} images with crops, embedded)");
        }
    }

    /// <summary>The options of `sr eval` (one instance per command tree).</summary>
    private sealed class Flags
    {
        public readonly Option<string> Model = new Option<string>("--model") { Description = "The method: bicubic (bicubic-y, bicubic-rgb), a registered network name or a model file.", DefaultValueFactory = _ => "bicubic" };
        public readonly Option<string> Data = new Option<string>("--data") { Description = "A folder of HR images, or a dataset manifest (data-manifests/NAME.json).", Required = true };
        public readonly Option<int?> Scale = new Option<int?>("--scale") { Description = "The upscaling factor (2, 3, 4, …). Default: the scale a model file holds; required for bicubic and default." };
        public readonly Option<string> Protocol = new Option<string>("--protocol") { Description = "y-shave (default; the papers' tables), rgb-shave, ntire-rgb (RGB, shave 6+s), spsr (Y, SSIM with automatic downsampling), btsrn (Y, shave 2 at every scale: BTSRN Table 4).", DefaultValueFactory = _ => "y-shave" };
        public readonly Option<string?> Degradation = new Option<string?>("--degradation") { Description = "How LR is made: bicubic (default), bilinear, nearest, bd, blur:σ[:k], noise:σ, jpeg:q, or own (the model's learned down-scaler: rsrnet)." };
        public readonly Option<string?> LrFolder = new Option<string?>("--lr") { Description = "A folder of pre-made LR images (e.g. MATLAB's uint8 imresize output), used as given instead of degrading HR; paired by name: {stem}x{s} (BasicSR/SwinIR), then the HR's own name." };
        public readonly Option<string?> LrPattern = new Option<string?>("--lr-pattern") { Description = "With --lr: the LR file name of each HR file, with {stem}, {s} and {index} (1-based, name order; {index:000} pads), e.g. img_{index:000}_SRF_{s}_LR.png (SelfExSR)." };
        public readonly Option<long> Seed = new Option<long>("--seed") { Description = "Seed of a random degradation (noise); image i uses seed + i.", DefaultValueFactory = _ => 0 };
        public readonly Option<string?> DataRoot = new Option<string?>("--data-root") { Description = "Where a manifest's folder lies (default: ../shared/data next to the repository, else the current folder)." };
        public readonly Option<string?> Json = new Option<string?>("--json") { Description = "Write the report as JSON here." };
        public readonly Option<string?> Csv = new Option<string?>("--csv") { Description = "Write the report as CSV here." };
        public readonly Option<string?> Markdown = new Option<string?>("--markdown") { Description = "Write the report as Markdown here." };
        public readonly Option<string?> Report = new Option<string?>("--report") { Description = "Write one self-contained HTML page into this folder (index.html: provenance, summary, per-image table, comparison crops embedded as data URIs)." };
        public readonly Option<int> ReportImages = new Option<int>("--report-images") { Description = "How many images (the first ones) get comparison crops in --report.", DefaultValueFactory = _ => HtmlReport.DefaultMaxImages };
        public readonly Option<string?> Lpips = new Option<string?>("--lpips")
        {
            Description = "Also measure LPIPS (AlexNet-lin v0.1, SPSR's metric) with these weights: a folder holding torchvision's " +
                $"'{Sr.Models.Losses.Lpips.AlexNetFileName}' (https://download.pytorch.org/models/{Sr.Models.Losses.Lpips.AlexNetFileName}) and the lpips package's " +
                $"'{Sr.Models.Losses.Lpips.LinFileName}' (lpips/weights/v0.1/alex.pth in github.com/richzhang/PerceptualSimilarity) under those names, " +
                "or one .pth/.safetensors state dict holding both (features.N.* and lin{0..4}.model.1.weight). Compared: the RGB output " +
                "(a Y model's Y with bicubic Cb/Cr, as sr upscale writes it) against the mod-cropped RGB ground truth, whole (no shave), in [-1,1].",
        };
        public readonly Option<string> Backend = BackendOption.Create();

        public IEnumerable<Option> All =>
            [Model, Data, Scale, Protocol, Degradation, LrFolder, LrPattern, Seed, DataRoot, Lpips, Json, Csv, Markdown, Report, ReportImages, Backend];
    }

    /// <summary>--lpips PATH, before any image is read: a missing, unreadable or wrong file is one error naming it and the problem.</summary>
    private static Sr.Models.Losses.Lpips LoadLpips(string path)
    {
        try
        {
            return Sr.Models.Losses.Lpips.Load(Path.GetFullPath(path)); // the report records where the weights came from, as it does --lr
        }
        catch (Exception e) when (e is IOException or InvalidDataException or Sr.Torch.Serialization.WeightsFormatException or ArgumentException or UnauthorizedAccessException)
        {
            // FileNotFoundException's own sentence says where the file comes from; CliErrors would shorten it to "not found".
            throw new InvalidDataException($"--lpips: {(e is FileNotFoundException ? e.Message : CliErrors.Describe(e))}", e);
        }
    }

    /// <summary>--backend onnx: a trained network ('default' or a model file) run in ONNX Runtime; built-in methods have no ONNX form.</summary>
    private static ISuperResolver LoadForOnnx(string modelName, int scale)
    {
        if (!string.Equals(modelName, Sr.Models.Upscaling.DefaultModel.Name, StringComparison.OrdinalIgnoreCase) && !File.Exists(modelName))
            throw new ArgumentException($"--backend onnx runs trained networks ('default' or a model file), not '{modelName}'.");
        return Sr.Models.Upscaling.ModelLoader.Load(modelName, scale, new InferenceOptions { Backend = InferenceBackend.Onnx });
    }

    /// <summary>The report's provenance: this command line, and the SHA-256 of the model file ("default": of its file at this scale).</summary>
    private static ReportProvenance Provenance(ParseResult parse, string modelName, int scale)
    {
        static string Quote(string t) => t.Length > 0 && t.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? t : "'" + t.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var command = "sr " + string.Join(" ", parse.Tokens.Select(t => Quote(t.Value)));
        string? file = string.Equals(modelName, Sr.Models.Upscaling.DefaultModel.Name, StringComparison.OrdinalIgnoreCase) ? Sr.Models.Upscaling.DefaultModel.PathFor(scale)
            : File.Exists(modelName) ? modelName : null;
        return ReportProvenance.Now(command, file is null ? modelName : $"{modelName} ({Path.GetFullPath(file)})", file is null ? null : Sr.Models.Upscaling.ModelFileInfo.HashFile(file));
    }

    private static string DefaultDataRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SrMlNet.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        return Environment.CurrentDirectory;
    }

    /// <summary>One status line on stderr while it runs (only on a terminal), so stdout stays the table.</summary>
    private sealed class ConsoleProgress : IProgress<EvalProgress>
    {
        private readonly bool _live = !Console.IsErrorRedirected;
        private int _width = 60;

        public void Report(EvalProgress value)
        {
            if (!_live) return;
            var row = value.Last;
            var what = row.IsMeasured ? $"{EvalReport.Format(row.Psnr, 2)} dB" : $"skipped: {row.Note}";
            var line = $"[{value.Done}/{value.Total}] {row.Name} {what}";
            Console.Error.Write("\r" + (line.Length > 100 ? line[..99] + "…" : line).PadRight(_width));
            _width = Math.Max(_width, Math.Min(line.Length, 100));
        }

        public void Done()
        {
            if (_live) Console.Error.Write("\r" + new string(' ', _width) + "\r");
        }
    }
}
