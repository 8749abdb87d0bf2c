namespace Sr.Models.Training;

/// <summary>
/// The files of a training run that writes the model file <see cref="Model"/>: its checkpoint (&lt;stem&gt;.ckpt), log
/// (&lt;stem&gt;.log.csv), picture of the curves (&lt;stem&gt;.curves.png) and snapshots (&lt;stem&gt;.at-&lt;m&gt;min.srm), side by side.
/// </summary>
public sealed record TrainingFiles(string Model, string Checkpoint, string LogCsv, string CurvesPng)
{
    /// <summary>The files beside <paramref name="modelPath"/> (made absolute).</summary>
    public static TrainingFiles For(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var model = Path.GetFullPath(modelPath);
        var stem = Path.Combine(Path.GetDirectoryName(model)!, Path.GetFileNameWithoutExtension(model));
        return new TrainingFiles(model, stem + ".ckpt", stem + ".log.csv", stem + ".curves.png");
    }

    /// <summary>The model file of a snapshot at <paramref name="minutes"/> (as formatted, e.g. "2.5").</summary>
    public string Snapshot(string minutes) =>
        Path.Combine(Path.GetDirectoryName(Model)!, Path.GetFileNameWithoutExtension(Model)) + $".at-{minutes}min{ModelFile.Extension}";
}
