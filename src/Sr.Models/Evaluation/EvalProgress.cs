namespace Sr.Models.Evaluation;

/// <summary>Progress of a folder evaluation: <paramref name="Done"/> of <paramref name="Total"/> files, with the last row.</summary>
public sealed record EvalProgress(int Done, int Total, EvalImageResult Last);
