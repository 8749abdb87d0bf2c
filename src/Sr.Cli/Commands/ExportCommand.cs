using System.CommandLine;
using Sr.Models.Inference;
using Sr.Models.Onnx;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Models.Upscaling;

namespace Sr.Cli.Commands;

/// <summary>
/// `sr export --model &lt;default|file.srm&gt; --scale s -o model.onnx [--layout nchw|flat|image]`: a trained network as an ONNX
/// model (opset <see cref="OnnxExporter.Opset"/>) for ONNX Runtime, ML.NET's OnnxTransformer or any ONNX consumer.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "'default' (the shipped model) or a trained model file (.srm).", DefaultValueFactory = _ => DefaultModel.Name };
        var scale = new Option<int?>("--scale", "-s") { Description = "The scale: required for 'default' (2, 3 or 4); for a model file, checked against it (default: the file's)." };
        var output = new Option<string>("--output", "-o") { Description = "The ONNX file to write (written to a temporary file, then renamed).", Required = true };
        var layout = new Option<string>("--layout")
        {
            Description = "nchw (default: input [N,C,H,W] → raw output), flat (one image as [1,P] planes + its size, clamped; for ML.NET's OnnxTransformer) " +
                          "or image (RGB [1,3,H,W] in [0,1] → RGB, colour handling and clamp inside).",
            DefaultValueFactory = _ => "nchw",
        }.AcceptOnlyFromAmong("nchw", "flat", "image");
        var cmd = new Command("export", "Export a trained network as an ONNX model.") { model, scale, output, layout };
        cmd.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(scale), parse.GetValue(output)!, parse.GetValue(layout)!, Console.Out, Console.Error));
        return cmd;
    }

    internal static int Run(string modelSpec, int? scale, string output, string layoutName, TextWriter stdout, TextWriter stderr)
    {
        var layout = Enum.Parse<OnnxLayout>(layoutName, ignoreCase: true);
        NetworkSuperResolver loaded;
        try
        {
            loaded = Load(modelSpec, scale);
        }
        catch (Exception e) when (e is ArgumentException or IOException or Sr.Torch.Serialization.WeightsFormatException)
        {
            var message = CliErrors.Describe(e);
            stderr.WriteLine(message.StartsWith(modelSpec, StringComparison.Ordinal) ? $"error: --model {message}" : $"error: --model {modelSpec}: {message}");
            return 2;
        }
        using (loaded)
        {
            var network = loaded.Network;
            try
            {
                OnnxExporter.Export(network, output, layout);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {output}: {e.Message}");
                return 1;
            }
            // Read back: the written file is checked as any later reader will check it.
            var info = OnnxModelInfo.Read(output);
            stdout.WriteLine($"{modelSpec} ({info.ModelName} ×{info.Scale}, {info.ColorSpace}) → {output}: {info.Layout} layout, opset {info.Opset}, {new FileInfo(output).Length:N0} bytes");
            return 0;
        }
    }

    /// <summary>The trained network behind --model: the default model at --scale, or an .srm file (its scale checked).</summary>
    private static NetworkSuperResolver Load(string spec, int? scale)
    {
        if (string.Equals(spec, DefaultModel.Name, StringComparison.OrdinalIgnoreCase))
        {
            if (scale is null) throw new ArgumentException("the default model comes in ×2, ×3 and ×4: give --scale.");
            return DefaultModel.Load(scale.Value);
        }
        if (File.Exists(spec))
        {
            if (!string.Equals(Path.GetExtension(spec), ModelFile.Extension, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"{spec}: export needs a trained model file ({ModelFile.Extension}).");
            int s = scale ?? ReadScale(spec);
            return ModelLoader.LoadFile(spec, s);
        }
        if (ModelRegistry.TryGet(spec, out var named))
            throw new ArgumentException($"'{named.Name}' names a network architecture, not trained weights: train one with " +
                $"`sr train --model {named.Name} --scale {scale ?? Sr.Models.SrDefaults.Scale} --data <folder> -o {named.Name}-x{scale ?? Sr.Models.SrDefaults.Scale}{ModelFile.Extension}` and export that file.");
        throw new FileNotFoundException($"{spec}: model file not found.", spec);
    }

    private static int ReadScale(string path)
    {
        using var file = ModelFile.Read(path);
        return file.Scale;
    }
}
