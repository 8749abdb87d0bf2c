using System.CommandLine;
using System.Diagnostics;
using Sr.Models;
using Sr.Models.Diagnostics;
using Sr.Models.Inference;
using Sr.Models.Upscaling;
using Sr.Torch.io;

namespace Sr.Cli.Commands;

/// <summary>`sr upscale <image-or-folder> -o <file-or-folder>`: the main job, with the default model unless told otherwise.</summary>
public static class UpscaleCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "An image file, or a folder of images." };
        var output = new Option<string>("--output", "-o") { Description = "The output PNG (for a file) or folder (for a folder).", Required = true };
        var scale = new Option<int?>("--scale", "-s") { Description = "Upscaling factor: 2, 3 or 4. Default: the scale a model file holds, else 2." };
        var model = new Option<string>("--model", "-m") { Description = "'default' (the shipped model), a model file (.srm, .onnx, .zip) or 'bicubic'.", DefaultValueFactory = _ => DefaultModel.Name };
        var tile = new Option<int>("--tile") { Description = "Process in LR tiles of this size (same result). 0 = automatic: the whole image when it fits in the memory budget, else tiles that do.", DefaultValueFactory = _ => 0 };
        var budget = new Option<int>("--memory-budget") { Description = $"Tensor memory one upscale may use, in MiB (default: {MemoryBudget.EnvironmentVariable}, else 1/32 of the machine's memory). Larger images are tiled; the pixels do not change." };
        var ensemble = new Option<bool>("--ensemble") { Description = "×8 self-ensemble (flips and rotations averaged; 8× slower, slightly better)." };
        var backend = BackendOption.Create();
        var maxPixels = new Option<long>("--max-pixels") { Description = $"Refuse input images over this many pixels (width × height, read from the header before decoding). Default {DefaultMaxPixels:N0} (4096×4096).", DefaultValueFactory = _ => DefaultMaxPixels };
        var cmd = new Command("upscale", "Upscale an image or a folder of images.") { input, output, scale, model, tile, budget, ensemble, backend, maxPixels };
        cmd.SetAction((parse, ct) => Task.FromResult(Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(scale), parse.GetValue(model)!,
            new InferenceOptions { TileSize = parse.GetValue(tile), MemoryBudgetBytes = parse.GetValue(budget) is int mb and not 0 ? mb * (1L << 20) : null, SelfEnsemble = parse.GetValue(ensemble), Backend = BackendOption.Parse(parse.GetValue(backend)) }, ct,
            parse.GetValue(maxPixels))));
        return cmd;
    }

    /// <summary>
    /// The default input limit of `sr upscale`: 16 Mi pixels (4096×4096). Reading allows 64 Mi (ImageFile.DefaultMaxPixels),
    /// but the time a network takes grows with the pixel count, and an 8000×8000 input looked like a hang (issue #19): a
    /// larger input is refused at once, with the option that raises the limit.
    /// </summary>
    public const long DefaultMaxPixels = 4096L * 4096;

    public static int Run(string input, string output, int? requestedScale, string modelSpec, InferenceOptions options, CancellationToken ct = default, long maxPixels = DefaultMaxPixels)
    {
        if (ScaleOption.Resolve(requestedScale, modelSpec, Console.Error) is not int scale) return 2;
        if (ArgumentError(input, scale, options, maxPixels) is { } error)
        {
            Console.Error.WriteLine("error: " + error);
            return 2;
        }
        var clock = Environment.GetEnvironmentVariable("SR_TIMINGS") == "1" ? StageClock.Start() : null;
        if (clock != null)
        {
            // Process start to here: runtime start-up, argument parsing; the first touch of libtorch comes with the model.
            clock.Record("process start", (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds - clock.Stages.Sum(s => s.Seconds));
        }
        long budgetBytes;
        try
        {
            budgetBytes = MemoryBudget.Of(options);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        if (clock != null)
        {
            _ = Sr.Torch.torch.get_num_threads(); // loads libtorch and the native shim
            StageClock.Mark("libtorch start-up");
        }
        ISuperResolver method;
        try
        {
            method = ModelLoader.Load(modelSpec, scale, options);
            StageClock.Mark("model load");
        }
        catch (Exception e) when (e is ArgumentException or IOException or Sr.Torch.Serialization.WeightsFormatException)
        {
            Console.Error.WriteLine(CliErrors.ModelError(modelSpec, e));
            return 2;
        }
        // Freed blocks kept for reuse count as memory too: at most the budget's worth while the batch runs, none after.
        Sr.Torch.torch.cpu_cache_set_limit(budgetBytes / 2);
        try
        {
            return ImageBatch.Run(input, output,
                (file, target, _) =>
                {
                    var (w, h, seconds, notes) = UpscaleOne(file, target, scale, method, maxPixels);
                    return $"{file} → {target}: {w}×{h} (×{scale}, {method.Name}, {seconds:F2} s){(notes.Count > 0 ? "; " + string.Join("; ", notes) : "")}";
                },
                (written, total) => $"{written} of {total} files upscaled ×{scale} with {method.Name} into {output}",
                Console.Out, Console.Error, ct);
        }
        finally
        {
            (method as IDisposable)?.Dispose();
            Sr.Torch.torch.cpu_cache_set_limit(-1);
            Sr.Torch.torch.cpu_empty_cache();
            if (clock != null)
            {
                Console.Error.WriteLine("timings: " + clock.Format());
                StageClock.Stop();
            }
        }
    }

    /// <summary>What is wrong with the arguments (one line, naming the option), or null.</summary>
    private static string? ArgumentError(string input, int scale, InferenceOptions options, long maxPixels) =>
        maxPixels <= 0 ? $"--max-pixels must be positive (got {maxPixels})."
        : scale is not (2 or 3 or 4) ? $"--scale must be 2, 3 or 4 (got {scale})."
        : options.TileSize < 0 ? $"--tile must be 0 (off) or a positive LR tile size (got {options.TileSize})."
        : options.MemoryBudgetBytes is <= 0 ? "--memory-budget must be a positive number of MiB."
        : !Directory.Exists(input) && !File.Exists(input) ? $"{input}: no such file or folder."
        : null;

    private static (int width, int height, double seconds, IReadOnlyList<string> notes) UpscaleOne(string input, string output, int scale, ISuperResolver method, long maxPixels)
    {
        var sw = Stopwatch.StartNew();
        StageClock.Mark("other");
        DecodedImage image;
        try
        {
            image = ImageFile.Read(input, maxPixels);
        }
        catch (ImageFormatException e) when (e.Message.Contains("over the limit of", StringComparison.Ordinal) && e.Message.Contains("pixels", StringComparison.Ordinal))
        {
            throw new ImageFormatException(input, $"{e.Problem}; sr upscale --max-pixels raises the limit", e);
        }
        using var owned = image;
        StageClock.Mark("decode");
        using var up = ImageUpscaler.Upscale(image, method, scale);
        ImageFile.Write(output, up.Pixels);
        StageClock.Mark("encode");
        return ((int)up.Pixels.shape[1], (int)up.Pixels.shape[0], sw.Elapsed.TotalSeconds, up.Notes);
    }
}
