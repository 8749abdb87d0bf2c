using Microsoft.ML;
using Sr.Models.Training;

namespace Sr.MLNet;

/// <summary>A row of image file paths, the input of <c>mlContext.Transforms.LoadImages(…, inputColumnName: "Path")</c>.</summary>
public sealed class ImagePath
{
    public string Path { get; set; } = "";
}

/// <summary>Data views of image files, for pipelines that start with ML.NET's LoadImages.</summary>
public static class ImageFiles
{
    /// <summary>The image files directly in <paramref name="folder"/> (sorted by name, as the CLI's evaluator and trainer take them).</summary>
    public static IReadOnlyList<ImagePath> In(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: image folder does not exist.");
        return PatchSampler.ImageFilesIn(folder).Select(f => new ImagePath { Path = f }).ToList();
    }

    /// <summary>A data view with one "Path" column of the image files in <paramref name="folder"/>.</summary>
    public static IDataView Load(MLContext context, string folder)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Data.LoadFromEnumerable(In(folder));
    }
}
