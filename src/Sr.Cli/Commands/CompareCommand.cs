using System.CommandLine;
using System.Globalization;
using Sr.Models;
using Sr.Models.Imaging;
using Sr.Models.Evaluation;
using Sr.Plots;
using Sr.Models.Upscaling;
using Sr.Torch.io;

namespace Sr.Cli.Commands;

/// <summary>`sr compare <hr-image> --scale s --models bicubic,default,<files> -o cmp.png`: the results as a picture.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var hr = new Argument<string>("hr-image") { Description = "The ground-truth (HR) image; it is degraded with MATLAB bicubic to make the input." };
        var scale = new Option<int?>("--scale", "-s") { Description = "2, 3 or 4. Default: the scale the model files hold, else 2." };
        var models = new Option<string>("--models") { Description = "Comma-separated methods: bicubic, default, model files (.srm, .zip).", DefaultValueFactory = _ => "bicubic,default" };
        var output = new Option<string>("--output", "-o") { Description = "The PNG to write.", Required = true };
        var cmd = new Command("compare", "Write one PNG comparing methods on an image: input, outputs, ground truth, a zoomed crop, PSNR/SSIM.") { hr, scale, models, output };
        cmd.SetAction(parse => Run(parse.GetValue(hr)!, parse.GetValue(scale), parse.GetValue(models)!, parse.GetValue(output)!));
        return cmd;
    }

    public static int Run(string hrPath, int? requestedScale, string modelList, string output)
    {
        var names = modelList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ScaleOption.Resolve(requestedScale, names, Console.Error) is not int scale) return 2;
        if (scale is not (2 or 3 or 4))
        {
            Console.Error.WriteLine($"error: --scale must be 2, 3 or 4 (got {scale}).");
            return 2;
        }
        if (names.Length == 0)
        {
            Console.Error.WriteLine("error: --models is empty; give e.g. bicubic,default.");
            return 2;
        }
        var methods = new List<ISuperResolver>();
        try
        {
            foreach (var n in names)
            {
                try
                {
                    methods.Add(ModelLoader.Load(n, scale));
                }
                catch (Exception e) when (e is ArgumentException or IOException or Sr.Torch.Serialization.WeightsFormatException)
                {
                    Console.Error.WriteLine($"error: --models {n}: {CliErrors.Describe(e)}");
                    return 2;
                }
            }
            using var image = ImageFile.Read(hrPath);
            using var converted = ImageTensor.FromDecoded(image, AlphaHandling.Drop);
            var comparison = MethodComparison.Run(converted.Image, scale, methods);
            var picture = ComparisonFigure.WritePng(output, comparison);
            Console.WriteLine($"{output}: {picture.Width}×{picture.Height}");
            foreach (var e in comparison.Entries)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {e.Name,-24} PSNR {e.Psnr,7:F2} dB  SSIM {e.Ssim:F4}  (Y, shave {scale})"));
            return 0;
        }
        catch (Exception e) when (e is ImageFormatException or IOException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {CliErrors.Describe(e)}");
            return 1;
        }
        finally
        {
            foreach (var m in methods) (m as IDisposable)?.Dispose();
        }
    }
}
