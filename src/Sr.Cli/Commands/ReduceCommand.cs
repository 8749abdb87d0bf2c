using System.CommandLine;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr reduce &lt;hr-image-or-folder&gt; -o &lt;file-or-folder&gt; --model &lt;rsrnet.srm&gt; [--scale s]`: RSRNet's learned
/// down-scaler (RRNet) on its own, through <see cref="ImageReducer"/>.
/// </summary>
public static class ReduceCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "An HR image file, or a folder of HR images." };
        var output = new Option<string>("--output", "-o") { Description = "The LR PNG (for a file) or folder (for a folder: same file names, as .png).", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "A trained rsrnet model file (.srm, from `sr train --model rsrnet`): its RRNet is the down-scaler.", Required = true };
        var scale = new Option<int?>("--scale", "-s") { Description = "The model's scale (checked against the file; default: the file's). HR is cropped at the bottom and right to a multiple of it." };
        var cmd = new Command("reduce", "Down-scale images with RSRNet's learned reducer (RRNet on Y; Cb/Cr and alpha with bicubic; gray stays gray).")
        {
            input, output, model, scale,
        };
        cmd.SetAction((parse, ct) => Task.FromResult(Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(model)!, parse.GetValue(scale),
            Console.Out, Console.Error, ct)));
        return cmd;
    }

    internal static int Run(string input, string output, string modelSpec, int? scale, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        if (scale is < 2)
        {
            stderr.WriteLine($"error: --scale must be an integer ≥ 2 (got {scale}).");
            return 2;
        }
        if (!Directory.Exists(input) && !File.Exists(input))
        {
            stderr.WriteLine($"error: {input}: no such file or folder.");
            return 2;
        }
        SrNetwork network;
        try
        {
            network = ImageReducer.Load(modelSpec, scale);
        }
        catch (Exception e) when (e is ArgumentException or IOException or Sr.Torch.Serialization.WeightsFormatException)
        {
            var message = CliErrors.Describe(e);
            stderr.WriteLine(message.StartsWith(modelSpec, StringComparison.Ordinal) ? $"error: --model {message}" : $"error: --model {modelSpec}: {message}");
            return 2;
        }
        using (network)
        {
            int s = network.Scale;
            var name = Path.GetFileNameWithoutExtension(modelSpec);
            return ImageBatch.Run(input, output,
                (file, target, _) =>
                {
                    using var image = ImageFile.Read(file);
                    using var converted = ImageTensor.FromDecoded(image, AlphaHandling.Keep);
                    using var scope = torch.NewDisposeScope();
                    var pixels = ImageTensor.ToHwcUint8(ImageReducer.Reduce(converted.Image, network));
                    ImageFile.Write(target, pixels);
                    bool cropped = converted.Height % s != 0 || converted.Width % s != 0;
                    return $"{file} → {target}: {pixels.shape[1]}×{pixels.shape[0]} (÷{s}, RRNet of {name})" +
                        (cropped ? $"; mod-cropped {converted.Width}×{converted.Height} → {converted.Width / s * s}×{converted.Height / s * s}" : "");
                },
                (written, total) => $"{written} of {total} files reduced ÷{s} with RRNet of {name} into {output}",
                stdout, stderr, ct);
        }
    }
}
