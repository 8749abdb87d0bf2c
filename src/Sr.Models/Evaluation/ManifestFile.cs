namespace Sr.Models.Evaluation;

/// <summary>One file of a dataset manifest: its path under the set's folder, its role ("hr", "lr-x2", …) and what we know of it.</summary>
public sealed record ManifestFile(string Path, string Role, int? Width = null, int? Height = null, long? Bytes = null, string? Sha256 = null);
