using System.Collections;

namespace Sr.MLNet;

/// <summary>
/// The columns of a data view: names, types, annotations (ML.NET's <c>DataViewSchema</c>). When names repeat the last
/// column wins and earlier ones become hidden. Built with <see cref="Builder"/>.
/// </summary>
public sealed class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _byName;

    private DataViewSchema(IReadOnlyList<(string name, DataViewType type, Annotations annotations)> columns)
    {
        _columns = new Column[columns.Count];
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++) _byName[columns[i].name] = i;
        for (int i = 0; i < columns.Count; i++)
            _columns[i] = new Column(columns[i].name, i, _byName[columns[i].name] != i, columns[i].type, columns[i].annotations);
    }

    /// <summary>A schema with no columns.</summary>
    public static DataViewSchema Empty { get; } = new Builder().ToSchema();

    public int Count => _columns.Length;

    public Column this[int columnIndex] => _columns[columnIndex];

    /// <summary>The visible column named <paramref name="name"/>; throws <see cref="ArgumentOutOfRangeException"/> "Column 'x' not found".</summary>
    public Column this[string name] =>
        GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), $"Column '{name}' not found");

    public Column? GetColumnOrNull(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var i) ? _columns[i] : null;
    }

    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Count} columns";

    /// <summary>One column: name, position, type and annotations.</summary>
    public readonly struct Column
    {
        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            Annotations = annotations;
        }

        public string Name { get; }
        public int Index { get; }
        public bool IsHidden { get; }
        public DataViewType Type { get; }
        public Annotations Annotations { get; }

        public override string ToString() => $"{Name} ({Index}): {Type}{(IsHidden ? " (hidden)" : "")}";
    }

    /// <summary>A column not (yet) tied to a schema: what transformers declare for their outputs.</summary>
    public readonly struct DetachedColumn
    {
        public DetachedColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(type);
            Name = name;
            Type = type;
            Annotations = annotations ?? Annotations.Empty;
        }

        public DetachedColumn(Column column) : this(column.Name, column.Type, column.Annotations) { }

        public string Name { get; }
        public DataViewType Type { get; }
        public Annotations Annotations { get; }
    }

    /// <summary>
    /// Named values attached to a column (colour space, scale …). Unlike ML.NET, values are plain objects read with
    /// <see cref="GetValue{T}"/> and known at estimator time too, so a pipeline can be checked before data flows.
    /// </summary>
    public sealed class Annotations
    {
        private readonly IReadOnlyDictionary<string, (DataViewType type, object value)> _values;

        private Annotations(IReadOnlyDictionary<string, (DataViewType type, object value)> values) => _values = values;

        public static Annotations Empty { get; } = new(new Dictionary<string, (DataViewType, object)>());

        public IEnumerable<string> Kinds => _values.Keys;

        public bool Has(string kind) => _values.ContainsKey(kind);

        public DataViewType? GetType(string kind) => _values.TryGetValue(kind, out var v) ? v.type : null;

        /// <summary>Reads an annotation; throws naming the kind when it is absent or of another type.</summary>
        public void GetValue<T>(string kind, ref T value)
        {
            if (!_values.TryGetValue(kind, out var v)) throw new InvalidOperationException($"No annotation '{kind}'.");
            if (v.value is not T t) throw new InvalidOperationException($"Annotation '{kind}' is of type {v.type}, not {typeof(T).Name}.");
            value = t;
        }

        public bool TryGetValue<T>(string kind, out T value)
        {
            if (_values.TryGetValue(kind, out var v) && v.value is T t)
            {
                value = t;
                return true;
            }
            value = default!;
            return false;
        }

        public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={kv.Value.value}"));

        /// <summary>Builds <see cref="Annotations"/>.</summary>
        public sealed class Builder
        {
            private readonly Dictionary<string, (DataViewType, object)> _values = new(StringComparer.Ordinal);

            /// <summary>Copies the annotations of <paramref name="annotations"/> whose kind passes <paramref name="selector"/>.</summary>
            public Builder Add(Annotations annotations, Func<string, bool> selector)
            {
                ArgumentNullException.ThrowIfNull(annotations);
                ArgumentNullException.ThrowIfNull(selector);
                foreach (var (k, v) in annotations._values) if (selector(k)) _values[k] = v;
                return this;
            }

            public Builder AddPrimitiveValue<T>(string kind, PrimitiveDataViewType type, T value) where T : notnull
            {
                ArgumentException.ThrowIfNullOrEmpty(kind);
                ArgumentNullException.ThrowIfNull(type);
                if (type.RawType != typeof(T)) throw new ArgumentException($"Annotation '{kind}': {typeof(T).Name} is not the raw type of {type}.");
                _values[kind] = (type, value);
                return this;
            }

            public Annotations ToAnnotations() => _values.Count == 0 ? Empty : new(new Dictionary<string, (DataViewType, object)>(_values));
        }
    }

    /// <summary>Builds a <see cref="DataViewSchema"/>.</summary>
    public sealed class Builder
    {
        private readonly List<(string, DataViewType, Annotations)> _columns = [];

        public Builder AddColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(type);
            _columns.Add((name, type, annotations ?? Annotations.Empty));
            return this;
        }

        /// <summary>Adds every column of <paramref name="columns"/>, hidden ones included (so indices are preserved).</summary>
        public Builder AddColumns(IEnumerable<Column> columns)
        {
            foreach (var c in columns) AddColumn(c.Name, c.Type, c.Annotations);
            return this;
        }

        public Builder AddColumns(IEnumerable<DetachedColumn> columns)
        {
            foreach (var c in columns) AddColumn(c.Name, c.Type, c.Annotations);
            return this;
        }

        public DataViewSchema ToSchema() => new(_columns);
    }
}
