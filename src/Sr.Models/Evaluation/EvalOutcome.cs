namespace Sr.Models.Evaluation;

/// <summary>What happened to one file of an evaluated folder.</summary>
public enum EvalOutcome
{
    /// <summary>Measured as read (8-bit RGB or gray).</summary>
    Evaluated,

    /// <summary>Measured after a conversion the note names (alpha dropped, 16-bit scaled to 8-bit).</summary>
    Converted,

    /// <summary>Not measured; the note says why (not an image, corrupt, too small).</summary>
    Skipped,
}
