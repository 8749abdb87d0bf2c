using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Sr.MLNet;

/// <summary>
/// The entries of a model zip, in memory, and the zip-level rules: ML.NET's layout, a version entry, a SHA-256 per
/// entry, untrusted entry names checked (and never used as file-system paths).
/// <code>
/// TrainingInfo/Version.txt                    "SrMlNet model zip", "format=1", "product=…"
/// TrainingInfo/Checksums.sha256               "&lt;sha256 hex&gt;  &lt;entry&gt;" for every other entry
/// Schema                                      the input schema (JSON)
/// TransformerChain/Model.key                  the chain: scopes of its transformers
/// TransformerChain/Transform_000/Model.key    each transformer's header + options JSON
/// TransformerChain/Transform_000/Weights.bin  side streams (network weights)
/// </code>
/// </summary>
internal sealed class ModelRepository
{
    public const int Format = 1;
    public const string VersionEntry = "TrainingInfo/Version.txt";
    public const string ChecksumEntry = "TrainingInfo/Checksums.sha256";
    public const string SchemaEntry = "Schema";
    public const string ChainDirectory = "TransformerChain";
    private const string Magic = "SrMlNet model zip";
    private const long MaxEntryBytes = int.MaxValue - 64;
    private const long MaxTotalBytes = 16L << 30;

    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public IReadOnlyDictionary<string, byte[]> Entries => _entries;

    public void Add(string path, byte[] bytes)
    {
        if (!_entries.TryAdd(path, bytes)) throw new InvalidOperationException($"Model entry '{path}' written twice.");
        _order.Add(path);
    }

    public byte[]? TryGet(string path) => _entries.TryGetValue(path, out var b) ? b : null;

    public static string ProductVersion =>
        typeof(ModelRepository).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <summary>Writes the zip through a temporary file and a rename (an existing model is never half-overwritten).</summary>
    public void WriteTo(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        void Put(string name, byte[] bytes)
        {
            // Fixed timestamps: the same model always gives the same bytes.
            var e = zip.CreateEntry(name, CompressionLevel.Fastest);
            e.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var s = e.Open();
            s.Write(bytes);
        }
        var version = Encoding.UTF8.GetBytes($"{Magic}\nformat={Format}\nproduct={ProductVersion}\n");
        var sums = new StringBuilder();
        foreach (var name in new[] { VersionEntry }.Concat(_order))
            sums.Append(Convert.ToHexStringLower(SHA256.HashData(name == VersionEntry ? version : _entries[name]))).Append("  ").Append(name).Append('\n');
        Put(VersionEntry, version);
        Put(ChecksumEntry, Encoding.UTF8.GetBytes(sums.ToString()));
        foreach (var name in _order) Put(name, _entries[name]);
    }

    /// <summary>Reads and verifies a model zip; every problem is a <see cref="ModelFormatException"/> naming <paramref name="source"/>.</summary>
    public static ModelRepository Read(Stream stream, string source)
    {
        ModelFormatException Fail(string problem, Exception? inner = null) => new(source, problem, inner);
        var repo = new ModelRepository();
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                var name = NormalizeEntryName(entry.FullName) ?? throw Fail($"refused: the entry name '{Printable(entry.FullName)}' is not a safe relative path");
                if (name.EndsWith('/')) continue; // a directory entry
                if (entry.Length > MaxEntryBytes || (total += entry.Length) > MaxTotalBytes)
                    throw Fail($"refused: entry '{name}' claims {entry.Length:N0} bytes, over the limit");
                var bytes = new byte[entry.Length];
                using (var s = entry.Open())
                {
                    s.ReadExactly(bytes);
                    if (s.ReadByte() != -1) throw Fail($"entry '{name}' is longer than its header says (corrupt)");
                }
                if (repo._entries.ContainsKey(name)) throw Fail($"refused: the entry '{name}' appears twice");
                repo.Add(name, bytes);
            }
        }
        catch (InvalidDataException e)
        {
            throw Fail($"is truncated or not a zip archive ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw Fail("is truncated (an entry ends early)", e);
        }

        var version = repo.TryGet(VersionEntry) ?? throw Fail($"is not an SrMlNet model zip (no {VersionEntry}; a Microsoft.ML zip or another archive?)");
        var lines = Encoding.UTF8.GetString(version).Split('\n');
        if (lines[0] != Magic) throw Fail($"is not an SrMlNet model zip ({VersionEntry} does not begin with '{Magic}')");
        var formatLine = lines.FirstOrDefault(l => l.StartsWith("format=", StringComparison.Ordinal));
        if (formatLine is null || !int.TryParse(formatLine.AsSpan(7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var format))
            throw Fail($"has no format number in {VersionEntry}");
        if (format > Format) throw Fail($"was written in model format {format} by a newer SrMlNet; this one ({ProductVersion}) reads format {Format} and older");

        var sums = repo.TryGet(ChecksumEntry) ?? throw Fail($"has no {ChecksumEntry} (truncated or not written by SrMlNet)");
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(sums).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int sep = line.IndexOf("  ", StringComparison.Ordinal);
            if (sep != 64) throw Fail($"has a malformed line in {ChecksumEntry}");
            var name = line[(sep + 2)..];
            var bytes = repo.TryGet(name) ?? throw Fail($"is missing entry '{Printable(name)}' listed in its checksums (truncated or tampered)");
            if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), line[..64], StringComparison.Ordinal))
                throw Fail($"entry '{name}' does not match its SHA-256 checksum (tampered or corrupt)");
            listed.Add(name);
        }
        foreach (var name in repo._order)
            if (name != ChecksumEntry && !listed.Contains(name)) throw Fail($"refused: entry '{Printable(name)}' is not listed in {ChecksumEntry} (added after saving)");
        return repo;
    }

    /// <summary>'/'-separated, relative, no '.', '..', empty or control-character segments; null when unsafe.</summary>
    internal static string? NormalizeEntryName(string raw)
    {
        if (string.IsNullOrEmpty(raw) || raw.Length > 1024) return null;
        var name = raw.Replace('\\', '/');
        if (name.StartsWith('/') || name.Contains(':') || name.Any(char.IsControl)) return null;
        var trimmed = name.EndsWith('/') ? name[..^1] : name;
        if (trimmed.Split('/').Any(s => s.Length == 0 || s == "." || s == "..")) return null;
        return name;
    }

    private static string Printable(string s) => new(s.Select(c => char.IsControl(c) ? '?' : c).Take(200).ToArray());
}
