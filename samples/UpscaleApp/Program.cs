// The smallest SrMlNet app: upscale a photo ×2 with the embedded default model through ML.NET.
//   dotnet run --project samples/UpscaleApp -c Release -- <in.png> <out.png>
//   dotnet run --project samples/UpscaleApp -c Release -- --eval <folder>    (Set5 ×2 PSNR/SSIM of the same model, the papers' protocol)
using Microsoft.ML;
using Microsoft.ML.Data;
using Sr.MLNet;

if (args.Length == 2 && args[0] == "--eval") return Evaluate(args[1]);
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: UpscaleApp <in.png> <out.png> | --eval <folder>");
    return 2;
}

var ml = new MLContext();
var empty = ml.Data.LoadFromEnumerable(Array.Empty<ImagePath>());
var model = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "Path")
    .Append(ml.Transforms.SuperResolve("SR", "Image", model: "default", scale: 2))
    .Fit(empty);
var engine = ml.Model.CreatePredictionEngine<ImagePath, Upscaled>(model);
var result = engine.Predict(new ImagePath { Path = args[0] });
var upscaled = result.SR ?? throw new InvalidOperationException($"{args[0]}: no image came out.");
upscaled.Save(args[1]); // the format follows the extension (.png, .jpg)
Console.WriteLine($"{args[0]} → {args[1]} ({upscaled.Width}×{upscaled.Height})");
return 0;

static int Evaluate(string folder)
{
    var ml = new MLContext();
    var images = ImageFiles.Load(ml, folder);
    var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "Path")
        .Append(ml.Transforms.ConvertToYCbCr("Y", "Image"))
        .Append(ml.Transforms.ModCrop("HR", "Y", scale: 2))
        .Append(ml.Transforms.Degrade("LR", "HR", scale: 2))
        .Append(ml.Transforms.SuperResolve("SR", "LR", model: "default", scale: 2));
    var metrics = ml.SuperResolution().Evaluate(pipeline.Fit(images).Transform(images), "HR", "SR", scale: 2,
        dataset: Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), method: "default (ML.NET)");
    Console.WriteLine(metrics);
    return 0;
}

internal sealed class Upscaled
{
    public MLImage? SR { get; set; }
}
