using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sr.Torch.io;

namespace Sr.MLNet;

/// <summary>
/// A small DataFrame-like table of metrics (the shape of Microsoft.Data.Analysis' <c>DataFrame</c>, which cannot be
/// restored here): named columns of text or numbers, rows, and output as a fixed-width text table
/// (<see cref="ToString()"/>), CSV, Markdown and JSON — always in the invariant culture, so a metrics file reads the same
/// on every machine.
/// </summary>
public sealed class MetricsTable
{
    private readonly List<object?[]> _rows = [];

    public MetricsTable(params (string name, Type type)[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        foreach (var (n, t) in columns)
        {
            ArgumentException.ThrowIfNullOrEmpty(n, nameof(columns));
            if (t != typeof(string) && t != typeof(double) && t != typeof(int) && t != typeof(long))
                throw new ArgumentException($"Column '{n}': {t.Name} is not a table type (string, double, int, long).", nameof(columns));
        }
        if (columns.Select(c => c.name).Distinct().Count() != columns.Length) throw new ArgumentException("Column names must be unique.", nameof(columns));
        Columns = columns.Select(c => c.name).ToArray();
        ColumnTypes = columns.Select(c => c.type).ToArray();
    }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<Type> ColumnTypes { get; }

    public long RowCount => _rows.Count;

    public object? this[long row, int column] => _rows[(int)row][column];

    public object? this[long row, string column] => _rows[(int)row][IndexOf(column)];

    /// <summary>Appends a row; values must match the column types (null allowed = missing).</summary>
    public MetricsTable Append(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Columns.Count) throw new ArgumentException($"A row needs {Columns.Count} values, got {values.Length}.", nameof(values));
        for (int i = 0; i < values.Length; i++)
            if (values[i] is { } v && v.GetType() != ColumnTypes[i])
                throw new ArgumentException($"Column '{Columns[i]}' holds {ColumnTypes[i].Name}, got {v.GetType().Name}.", nameof(values));
        _rows.Add((object?[])values.Clone());
        return this;
    }

    public int IndexOf(string column)
    {
        int i = Columns.ToList().IndexOf(column);
        return i >= 0 ? i : throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column}' not found");
    }

    /// <summary>The numeric values of a column (missing values skipped).</summary>
    public IEnumerable<double> GetDoubleColumn(string column)
    {
        int i = IndexOf(column);
        return _rows.Select(r => r[i]).Where(v => v is not null).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture));
    }

    public IEnumerable<string?> GetStringColumn(string column)
    {
        int i = IndexOf(column);
        return _rows.Select(r => r[i] as string);
    }

    /// <summary>How numbers print: 4 decimals for doubles (SSIM needs them; PSNR gets them too), invariant.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "NaN",
        double d => d.ToString("F4", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A fixed-width text table of the first <paramref name="rowsToShow"/> rows (DataFrame's <c>ToString</c> layout).</summary>
    public string ToString(long rowsToShow)
    {
        var shown = _rows.Take((int)Math.Min(rowsToShow, int.MaxValue)).ToList();
        var widths = Columns.Select((c, i) => Math.Max(c.Length, shown.Count == 0 ? 0 : shown.Max(r => Format(r[i]).Length)) + 2).ToArray();
        var sb = new StringBuilder();
        string Cell(string s, int i) => ColumnTypes[i] == typeof(string) ? s.PadRight(widths[i]) : s.PadLeft(widths[i] - 2).PadRight(widths[i]);
        sb.AppendLine(string.Concat(Columns.Select((c, i) => Cell(c, i))).TrimEnd());
        foreach (var r in shown) sb.AppendLine(string.Concat(r.Select((v, i) => Cell(Format(v), i))).TrimEnd());
        if (shown.Count < _rows.Count) sb.AppendLine($"{shown.Count} of {_rows.Count} rows shown");
        return sb.ToString();
    }

    public override string ToString() => ToString(100);

    /// <summary>CSV with a header; text quoted when it holds the separator, a quote or a newline.</summary>
    public string ToCsv(char separator = ',')
    {
        string Esc(string s) => s.IndexOfAny([separator, '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var sb = new StringBuilder();
        sb.Append(string.Join(separator, Columns.Select(Esc))).Append('\n');
        foreach (var r in _rows)
            sb.Append(string.Join(separator, r.Select(v => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : Esc(Format(v))))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> (full precision) through a temporary file and a rename.</summary>
    public void SaveCsv(string path, char separator = ',')
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToCsv(separator)));
    }

    public string ToMarkdown()
    {
        string Esc(string s) => s.Replace("|", "\\|");
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", Columns.Select(Esc))).Append(" |\n");
        sb.Append('|').Append(string.Concat(ColumnTypes.Select(t => t == typeof(string) ? " --- |" : " ---: |"))).Append('\n');
        foreach (var r in _rows) sb.Append("| ").Append(string.Join(" | ", r.Select(v => Esc(Format(v))))).Append(" |\n");
        return sb.ToString();
    }

    /// <summary>An array of row objects; NaN becomes null (JSON has no NaN).</summary>
    public string ToJson()
    {
        var arr = new JsonArray();
        foreach (var r in _rows)
        {
            var o = new JsonObject();
            for (int i = 0; i < Columns.Count; i++)
                o[Columns[i]] = r[i] switch
                {
                    null => null,
                    double d when !double.IsFinite(d) => null,
                    double d => d,
                    int n => n,
                    long n => n,
                    string s => s,
                    _ => r[i]!.ToString(),
                };
            arr.Add(o);
        }
        return arr.ToJsonString(ModelJson.Options);
    }
}
