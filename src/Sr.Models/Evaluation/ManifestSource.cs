namespace Sr.Models.Evaluation;

/// <summary>Where a dataset's files come from (repository at a commit, or a URL).</summary>
public sealed record ManifestSource(string? Url = null, string? Repository = null, string? Commit = null, string? Path = null);
