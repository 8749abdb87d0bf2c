namespace Sr.Models.Training;

/// <summary>
/// Draws a run's curves (<see cref="TrainingLog.Rows"/>) to a PNG. The science layer has no plotting library: the one used by
/// `sr train` is <c>Sr.Plots.TrainingCurvesPlot</c> (ScottPlot), which the CLI passes in <see cref="TrainingOptions.CurvesRenderer"/>.
/// </summary>
public interface ICurvesRenderer
{
    /// <summary>Writes the picture to <paramref name="path"/> atomically (a reader never sees half a file).</summary>
    void WritePng(string path, IReadOnlyList<TrainingLog.Row> rows);
}
