using System.CommandLine;
using Sr.Models.Imaging;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr degrade &lt;hr-image-or-folder&gt; -o &lt;file-or-folder&gt; --scale s [--degradation name] [--seed n]`: makes LR images
/// (or a whole LR set) from HR with a named degradation, exactly as the evaluator and the trainer make them.
/// </summary>
public static class DegradeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "An HR image file, or a folder of HR images." };
        var output = new Option<string>("--output", "-o") { Description = "The LR PNG (for a file) or folder (for a folder: same file names, as .png).", Required = true };
        var scale = new Option<int>("--scale", "-s") { Description = "Down-scaling factor (an integer ≥ 1). The HR image is first cropped at the bottom and right to a multiple of it (mod-crop, as the evaluator does).", Required = true };
        var degradation = new Option<string>("--degradation", "-d") { Description = $"How LR is made: {string.Join(", ", Degradations.Examples)} (blur:σ[:k], noise:σ in 0..255, jpeg:q).", DefaultValueFactory = _ => Sr.Models.SrDefaults.Degradation };
        var seed = new Option<long>("--seed") { Description = "Seed of a random degradation (noise); in a folder the i-th file (sorted by name) uses seed + i, as sr eval does.", DefaultValueFactory = _ => 0 };
        var uint8Matlab = new Option<bool>("--uint8-matlab") { Description = "Round to uint8 after each resize pass, as MATLAB's imresize does on a uint8 image: writes the same LR files as MATLAB (e.g. BasicSR/SwinIR's LR_bicubic). For bicubic, bilinear and nearest." };
        var cmd = new Command("degrade", "Make LR images from HR images with a named degradation (gray stays gray, colour stays colour, alpha is reduced with bicubic).")
        {
            input, output, scale, degradation, seed, uint8Matlab,
        };
        cmd.SetAction((parse, ct) => Task.FromResult(Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(scale), parse.GetValue(degradation)!,
            parse.GetValue(seed), Console.Out, Console.Error, ct, parse.GetValue(uint8Matlab))));
        return cmd;
    }

    internal static int Run(string input, string output, int scale, string degradationName, long seed, TextWriter stdout, TextWriter stderr, CancellationToken ct = default,
        bool uint8Matlab = false)
    {
        if (scale < 1)
        {
            stderr.WriteLine($"error: --scale must be an integer ≥ 1 (got {scale}).");
            return 2;
        }
        IDegradation degradation;
        try
        {
            degradation = Degradations.Parse(degradationName);
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: --degradation: {CliErrors.Describe(e)}");
            return 2;
        }
        if (uint8Matlab)
        {
            // MATLAB rounds after the vertical and again after the horizontal pass of a uint8 image; only the resize kernels have passes.
            if (degradation is not ResizeDegradation resize)
            {
                stderr.WriteLine($"error: --uint8-matlab applies to the resize degradations (bicubic, bilinear, nearest), not {degradation.Name}.");
                return 2;
            }
            degradation = new ResizeDegradation(resize.Options with { RoundEachPassToUint8 = true, Peak = 1.0 });
        }
        if (!Directory.Exists(input) && !File.Exists(input))
        {
            stderr.WriteLine($"error: {input}: no such file or folder.");
            return 2;
        }
        return ImageBatch.Run(input, output,
            (file, target, index) => DegradeOne(file, target, scale, degradation, seed + index),
            (written, total) => $"{written} of {total} files degraded ÷{scale} with {degradation.Name} into {output}",
            stdout, stderr, ct);
    }

    /// <summary>Degrades one image file into a PNG; returns the line that says what was done.</summary>
    internal static string DegradeOne(string input, string output, int scale, IDegradation degradation, long seed)
    {
        using var image = ImageFile.Read(input);
        using var converted = ImageTensor.FromDecoded(image, AlphaHandling.Keep);
        using var scope = torch.NewDisposeScope();
        var x = converted.Image;
        int h = converted.Height, w = converted.Width;
        if (h < scale || w < scale) throw new ArgumentException($"{input}: {w}×{h} is smaller than the scale {scale}.");
        var hr = ImageTensor.ModCrop(x, scale);
        long c = hr.shape[1];
        bool hasAlpha = c is 2 or 4;
        var lr = degradation.Apply(hasAlpha ? hr.narrow(1, 0, c - 1).contiguous() : hr, scale, seed);
        // Alpha is a mask, not a picture: blur, noise or JPEG would only damage it, so it is reduced with plain bicubic.
        if (hasAlpha) lr = torch.cat([lr, MatlabResize.Downscale(hr.narrow(1, c - 1, 1), scale).clamp(0, 1)], 1);
        var pixels = ImageTensor.ToHwcUint8(lr);
        ImageFile.Write(output, pixels);
        var notes = converted.Notes.Where(n => n != "alpha channel kept").ToList();
        if (hr.shape[2] != h || hr.shape[3] != w) notes.Add($"mod-cropped {w}×{h} → {hr.shape[3]}×{hr.shape[2]}");
        if (hasAlpha) notes.Add("alpha reduced with bicubic");
        return $"{input} → {output}: {pixels.shape[1]}×{pixels.shape[0]} (÷{scale}, {degradation.Name}){(notes.Count > 0 ? "; " + string.Join("; ", notes) : "")}";
    }
}
