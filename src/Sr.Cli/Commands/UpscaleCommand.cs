using System.CommandLine;
using System.Diagnostics;
using Sr.Models;
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
        var tile = new Option<int>("--tile") { Description = "Process in LR tiles of this size (bounded memory on large images; same result). 0 = whole image.", DefaultValueFactory = _ => 0 };
        var ensemble = new Option<bool>("--ensemble") { Description = "×8 self-ensemble (flips and rotations averaged; 8× slower, slightly better)." };
        var backend = BackendOption.Create();
        var cmd = new Command("upscale", "Upscale an image or a folder of images.") { input, output, scale, model, tile, ensemble, backend };
        cmd.SetAction((parse, ct) => Task.FromResult(Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(scale), parse.GetValue(model)!,
            new InferenceOptions { TileSize = parse.GetValue(tile), SelfEnsemble = parse.GetValue(ensemble), Backend = BackendOption.Parse(parse.GetValue(backend)) }, ct)));
        return cmd;
    }

    public static int Run(string input, string output, int? requestedScale, string modelSpec, InferenceOptions options, CancellationToken ct = default)
    {
        if (ScaleOption.Resolve(requestedScale, modelSpec, Console.Error) is not int scale) return 2;
        if (scale is not (2 or 3 or 4))
        {
            Console.Error.WriteLine($"error: --scale must be 2, 3 or 4 (got {scale}).");
            return 2;
        }
        if (options.TileSize < 0)
        {
            Console.Error.WriteLine($"error: --tile must be 0 (off) or a positive LR tile size (got {options.TileSize}).");
            return 2;
        }
        if (!Directory.Exists(input) && !File.Exists(input))
        {
            Console.Error.WriteLine($"error: {input}: no such file or folder.");
            return 2;
        }
        ISuperResolver method;
        try
        {
            method = ModelLoader.Load(modelSpec, scale, options);
        }
        catch (Exception e) when (e is ArgumentException or IOException or Sr.Torch.Serialization.WeightsFormatException)
        {
            Console.Error.WriteLine($"error: --model {modelSpec}: {CliErrors.Describe(e)}");
            return 2;
        }
        try
        {
            return ImageBatch.Run(input, output,
                (file, target, _) =>
                {
                    var (w, h, seconds, notes) = UpscaleOne(file, target, scale, method);
                    return $"{file} → {target}: {w}×{h} (×{scale}, {method.Name}, {seconds:F2} s){(notes.Count > 0 ? "; " + string.Join("; ", notes) : "")}";
                },
                (written, total) => $"{written} of {total} files upscaled ×{scale} with {method.Name} into {output}",
                Console.Out, Console.Error, ct);
        }
        finally
        {
            (method as IDisposable)?.Dispose();
        }
    }

    private static (int width, int height, double seconds, IReadOnlyList<string> notes) UpscaleOne(string input, string output, int scale, ISuperResolver method)
    {
        var sw = Stopwatch.StartNew();
        using var image = ImageFile.Read(input);
        using var up = ImageUpscaler.Upscale(image, method, scale);
        ImageFile.Write(output, up.Pixels);
        return ((int)up.Pixels.shape[1], (int)up.Pixels.shape[0], sw.Elapsed.TotalSeconds, up.Notes);
    }
}
