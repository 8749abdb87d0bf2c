using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sr.Models.Evaluation;

/// <summary>
/// A standard dataset as data-manifests/NAME.json describes it: where it comes from, which files it has (size, SHA-256),
/// whether we hold it (<see cref="Availability"/>: complete, partial, absent) and what is known about it.
/// </summary>
public sealed record DatasetManifest
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public required string Name { get; init; }

    /// <summary>The folder under the data root (../shared/data) holding the files.</summary>
    public required string Folder { get; init; }

    /// <summary>"complete", "partial" (some files are not held) or "absent".</summary>
    public required string Availability { get; init; }

    public string? Description { get; init; }
    public IReadOnlyList<ManifestSource> Sources { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<ManifestFile> Files { get; init; } = [];

    /// <summary>Files known to belong to the set but not held here (names only).</summary>
    public IReadOnlyList<string> NotHeld { get; init; } = [];

    [JsonIgnore]
    public IEnumerable<ManifestFile> HrFiles => Files.Where(f => f.Role == "hr");

    public string PathOf(string dataRoot, ManifestFile file) => System.IO.Path.Combine(dataRoot, Folder, file.Path);

    public static DatasetManifest Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty manifest.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid dataset manifest ({e.Message}).", e);
        }
    }

    /// <summary>Every *.json manifest in <paramref name="folder"/>, by name.</summary>
    public static IReadOnlyList<DatasetManifest> LoadAll(string folder) =>
        Directory.GetFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(Load).ToList();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Checks size and SHA-256 of every listed file (or of the HR files only) under <paramref name="dataRoot"/>.</summary>
    public ManifestCheck Verify(string dataRoot, bool hrOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataRoot);
        var missing = new List<string>();
        var differing = new List<string>();
        var unverifiable = new List<string>();
        int verified = 0;
        foreach (var f in hrOnly ? HrFiles : Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = PathOf(dataRoot, f);
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                missing.Add(path);
                continue;
            }
            if (f.Bytes is { } bytes && info.Length != bytes)
            {
                differing.Add($"{path}: {info.Length} bytes, expected {bytes}");
                continue;
            }
            if (f.Sha256 is null)
            {
                unverifiable.Add(path);
                continue;
            }
            using var stream = File.OpenRead(path);
            var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(hash, f.Sha256, StringComparison.OrdinalIgnoreCase)) differing.Add($"{path}: SHA-256 {hash}, expected {f.Sha256}");
            else verified++;
        }
        return new ManifestCheck(Name, System.IO.Path.Combine(dataRoot, Folder), verified, missing, differing, unverifiable);
    }
}
