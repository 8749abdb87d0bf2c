// Loads an SrMlNet pipeline zip as a program that knows only ML.NET would:
//   ZipConsumer <folder with Sr.*.dll> <model.zip> <image folder> <scale>
// loads every Sr.*.dll of the folder by path, registers them with ML.NET's ComponentCatalog, loads the zip with
// mlContext.Model.Load, transforms the images and prints the mean PSNR (Y, scale pixels shaved, output rounded to 8 bits)
// computed here, without SrMlNet's code, from the HR and SR columns (SrMlNet's SrImage, read by reflection).
using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: ZipConsumer <folder with Sr.*.dll> <model.zip> <image folder> <scale>");
    return 2;
}
string folder = Path.GetFullPath(args[0]);
int scale = int.Parse(args[3], CultureInfo.InvariantCulture);
var ml = new MLContext(seed: 1);
var assemblies = Directory.GetFiles(folder, "Sr.*.dll").Select(Assembly.LoadFrom).ToList();
foreach (var a in assemblies) ml.ComponentCatalog.RegisterAssembly(a);
var model = ml.Model.Load(args[1], out var inputSchema);

var files = Directory.GetFiles(args[2]).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".bmp", StringComparison.OrdinalIgnoreCase))
    .OrderBy(Path.GetFileName, StringComparer.Ordinal).Select(f => new Row { Path = f }).ToList();
var output = model.Transform(ml.Data.LoadFromEnumerable(files));

var srImage = assemblies.Select(a => a.GetType("Sr.MLNet.SrImage")).First(t => t is not null)!;
var getGetter = typeof(DataViewRowCursor).GetMethod(nameof(DataViewRowCursor.GetGetter))!.MakeGenericMethod(srImage);
var pixels = srImage.GetProperty("Pixels")!;
using var cursor = output.GetRowCursor([output.Schema["HR"], output.Schema["SR"]]);
var hrGetter = (Delegate)getGetter.Invoke(cursor, [output.Schema["HR"]])!;
var srGetter = (Delegate)getGetter.Invoke(cursor, [output.Schema["SR"]])!;
int height(object img) => (int)srImage.GetProperty("Height")!.GetValue(img)!;
int width(object img) => (int)srImage.GetProperty("Width")!.GetValue(img)!;
double sum = 0;
int count = 0;
while (cursor.MoveNext())
{
    object?[] hrArgs = [null], srArgs = [null];
    hrGetter.DynamicInvoke(hrArgs);
    srGetter.DynamicInvoke(srArgs);
    var hr = (float[])pixels.GetValue(hrArgs[0])!;
    var sr = (float[])pixels.GetValue(srArgs[0])!;
    int h = height(hrArgs[0]!), w = width(hrArgs[0]!);
    double se = 0;
    for (int y = scale; y < h - scale; y++)
    {
        for (int x = scale; x < w - scale; x++)
        {
            double a = Math.Round(hr[y * w + x] * 255.0), b = Math.Clamp(Math.Floor(sr[y * w + x] * 255.0 + 0.5), 0, 255);
            se += (a - b) * (a - b);
        }
    }
    double mse = se / ((h - 2.0 * scale) * (w - 2.0 * scale));
    double psnr = 10 * Math.Log10(255.0 * 255.0 / mse);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"image {count}: {psnr:F4} dB"));
    sum += psnr;
    count++;
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean PSNR {sum / count:F6} over {count} images"));
return 0;

internal sealed class Row
{
    public string Path { get; set; } = "";
}
