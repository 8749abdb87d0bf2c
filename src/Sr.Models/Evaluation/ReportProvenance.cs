namespace Sr.Models.Evaluation;

/// <summary>
/// Where a reported number comes from: the SrMlNet version, when, the command that produced it, and the model with the
/// SHA-256 of its file (null for a built-in method such as bicubic). The protocol travels in the report itself.
/// </summary>
public sealed record ReportProvenance(string Version, DateTimeOffset Date, string? Command, string? Model, string? ModelSha256)
{
    /// <summary>The running SrMlNet's version (of the Sr.Models assembly) and the current time.</summary>
    public static ReportProvenance Now(string? command, string? model, string? modelSha256 = null) =>
        new(typeof(ReportProvenance).Assembly.GetName().Version?.ToString(3) ?? "unknown", DateTimeOffset.UtcNow, command, model, modelSha256);
}
