using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sr.MLNet;

/// <summary><c>sr.Data</c>: loading, converting, splitting, shuffling and caching data views (ML.NET's <c>DataOperationsCatalog</c>).</summary>
public sealed class DataOperationsCatalog
{
    private readonly SrContext _env;

    internal DataOperationsCatalog(SrContext env) => _env = env;

    /// <summary>The image file extensions a folder listing picks up.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".bmp", ".jpg", ".jpeg", ".tif", ".tiff", ".ppm", ".pgm", ".webp"];

    /// <summary>
    /// Images as a view with columns "Name" (file name without extension), "Path" and "Image" (RGB). <paramref name="source"/>
    /// is a folder (its image files, not recursive, in ordinal order), a glob ("data/Set14/*.png"; '*' and '?' in the file
    /// name), or a manifest: a .txt/.lst file of one path a line ('#' comments) or a .json file holding a "files" array
    /// (strings, or objects with "path"/"file"/"name"), paths relative to the manifest. Files are listed when the first
    /// cursor is made and decoded when the image getter is called.
    /// </summary>
    public IDataView LoadImages(string source, string outputColumnName = "Image")
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        var files = new FileListDataView(() => ListImages(source));
        return new LoadImagesTransformer(null, (outputColumnName, "Path")).Transform(files);
    }

    internal static IReadOnlyList<string> ListImages(string source)
    {
        if (Directory.Exists(source))
        {
            var files = Directory.EnumerateFiles(source)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new FileNotFoundException($"{source}: the folder holds no image files ({string.Join(", ", ImageExtensions)}).", source);
            return files;
        }
        var name = Path.GetFileName(source);
        if (name.IndexOfAny(['*', '?']) >= 0)
        {
            var dir = Path.GetDirectoryName(source) is { Length: > 0 } d ? d : ".";
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{source}: the folder '{dir}' does not exist.");
            var regex = new Regex("^" + Regex.Escape(name).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            var files = Directory.EnumerateFiles(dir).Where(f => regex.IsMatch(Path.GetFileName(f)))
                .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new FileNotFoundException($"{source}: no file matches.", source);
            return files;
        }
        if (File.Exists(source))
        {
            var baseDir = Path.GetDirectoryName(Path.GetFullPath(source))!;
            IEnumerable<string> entries = Path.GetExtension(source).Equals(".json", StringComparison.OrdinalIgnoreCase)
                ? ManifestJson(source)
                : File.ReadAllLines(source).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0);
            var files = entries.Select(e => Path.GetFullPath(Path.Combine(baseDir, e))).ToList();
            if (files.Count == 0) throw new InvalidDataException($"{source}: the manifest lists no files.");
            foreach (var f in files) if (!File.Exists(f)) throw new FileNotFoundException($"{source}: the manifest lists '{f}', which does not exist.", f);
            return files;
        }
        throw new FileNotFoundException($"{source}: no such folder, glob match or manifest file.", source);
    }

    private static IEnumerable<string> ManifestJson(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the manifest is not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: the manifest has no \"files\" array.");
            var result = new List<string>();
            foreach (var f in files.EnumerateArray())
            {
                string? p = f.ValueKind == JsonValueKind.String ? f.GetString()
                    : new[] { "path", "file", "name" }.Select(k => f.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(s => s is not null);
                if (string.IsNullOrEmpty(p)) throw new InvalidDataException($"{path}: a \"files\" entry has no path.");
                if (ImageExtensions.Contains(Path.GetExtension(p).ToLowerInvariant())) result.Add(p);
            }
            return result;
        }
    }

    /// <summary>A view of <paramref name="data"/>'s objects: one column per public property (see <see cref="ColumnNameAttribute"/>, <see cref="NoColumnAttribute"/>, <see cref="VectorTypeAttribute"/>).</summary>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data) where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data);
    }

    /// <summary>
    /// The rows of <paramref name="data"/> as objects. With <paramref name="reuseRowObject"/> one object is refilled each row
    /// (its image buffers reused); otherwise each row is a new object owning its images (dispose them).
    /// </summary>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false) where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        var mapping = RowMapping.Of(typeof(TRow));
        var used = new List<(RowMapping map, DataViewSchema.Column column)>();
        foreach (var m in mapping)
        {
            if (data.Schema.GetColumnOrNull(m.ColumnName) is not { } c)
            {
                if (ignoreMissingColumns) continue;
                throw new ArgumentOutOfRangeException(nameof(data), $"Column '{m.ColumnName}' not found");
            }
            if (c.Type.RawType != m.Type.RawType) throw SchemaErrors.Mismatch(m.ColumnName, m.Type.ToString() ?? "", c.Type.ToString() ?? "");
            used.Add((m, c));
        }
        return Enumerate<TRow>(data, used, reuseRowObject);
    }

    private static IEnumerable<TRow> Enumerate<TRow>(IDataView data, List<(RowMapping map, DataViewSchema.Column column)> used, bool reuse) where TRow : class, new()
    {
        using var cursor = data.GetRowCursor(used.Select(u => u.column));
        var readers = used.Select(u => MakeReader(cursor, u.column)).ToArray();
        TRow? row = null;
        while (cursor.MoveNext())
        {
            if (!reuse || row is null) row = new TRow();
            for (int i = 0; i < used.Count; i++)
            {
                var current = reuse ? used[i].map.Property.GetValue(row) : null;
                used[i].map.Write(row, readers[i](current is float[] f ? new VBuffer<float>(f.Length, f) : current is double[] d ? new VBuffer<double>(d.Length, d) : current));
            }
            yield return row;
        }
    }

    private static Func<object?, object?> MakeReader(DataViewRowCursor cursor, DataViewSchema.Column column) =>
        (Func<object?, object?>)typeof(DataOperationsCatalog).GetMethod(nameof(Reader), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType).Invoke(null, [cursor, column])!;

    private static Func<object?, object?> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        return previous =>
        {
            T value = previous is T p ? p : default!;
            getter(ref value);
            return value;
        };
    }

    /// <summary>The first <paramref name="count"/> rows.</summary>
    public IDataView TakeRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new FilterDataView(input, _ => true, p => p >= count, n => n is { } v ? Math.Min(v, count) : null);
    }

    /// <summary>All rows but the first <paramref name="count"/>.</summary>
    public IDataView SkipRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new FilterDataView(input, p => p >= count, _ => false, n => n is { } v ? Math.Max(0, v - count) : null);
    }

    /// <summary>The rows in a random order fixed by <paramref name="seed"/> (default: the context's). The input must be shufflable (a source or a cache).</summary>
    public IDataView ShuffleRows(IDataView input, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanShuffle) throw new ArgumentException("The input cannot be shuffled (it is not randomly accessible): cache it first with sr.Data.Cache(...) or AppendCacheCheckpoint.", nameof(input));
        return new ShuffledDataView(input, seed ?? _env.EffectiveSeed);
    }

    /// <summary>
    /// A caching checkpoint: the first cursor reads everything once, later ones read memory. Dispose the result (it is
    /// <see cref="IDisposable"/>) to free cached images.
    /// </summary>
    public IDataView Cache(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new CacheDataView(input);
    }

    /// <summary>Splits rows at random (seeded): each row goes to the test set with probability <paramref name="testFraction"/>, decided from its position alone.</summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (testFraction is < 0 or > 1 || double.IsNaN(testFraction)) throw new ArgumentOutOfRangeException(nameof(testFraction), "Must be within [0, 1].");
        ulong s = (ulong)(seed ?? _env.EffectiveSeed);
        bool IsTest(long p) => Unit(s, (ulong)p) < testFraction;
        return new TrainTestData(
            new FilterDataView(data, p => !IsTest(p), _ => false, _ => null),
            new FilterDataView(data, IsTest, _ => false, _ => null));
    }

    /// <summary>A uniform [0,1) number from (seed, index): SplitMix64 (stable across runs and platforms).</summary>
    internal static double Unit(ulong seed, ulong index)
    {
        ulong z = seed * 0x9E3779B97F4A7C15UL + index + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
