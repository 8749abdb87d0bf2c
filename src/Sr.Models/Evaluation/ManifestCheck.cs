namespace Sr.Models.Evaluation;

/// <summary>The result of checking a manifest against the files on disk.</summary>
public sealed record ManifestCheck(string Dataset, string Folder, int Verified, IReadOnlyList<string> Missing,
    IReadOnlyList<string> Differing, IReadOnlyList<string> Unverifiable)
{
    public bool Ok => Missing.Count == 0 && Differing.Count == 0;

    public override string ToString() => Ok
        ? $"{Dataset}: {Verified} file(s) verified in {Folder}" + (Unverifiable.Count > 0 ? $", {Unverifiable.Count} without a checksum" : "")
        : $"{Dataset} ({Folder}): " + string.Join("; ", Missing.Select(m => $"missing {m}").Concat(Differing));

    /// <summary>Throws <see cref="InvalidDataException"/> naming every missing or differing file.</summary>
    public void ThrowIfFailed()
    {
        if (!Ok) throw new InvalidDataException(ToString());
    }
}
