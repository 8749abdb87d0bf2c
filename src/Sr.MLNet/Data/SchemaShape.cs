using System.Collections;

namespace Sr.MLNet;

/// <summary>
/// The estimator-time schema (ML.NET's <c>SchemaShape</c>): what columns a pipeline will have, checked by
/// <see cref="IEstimator{TTransformer}.GetOutputSchema"/> before any data flows. Unlike ML.NET, the column constructor and
/// <see cref="Create"/> are public, and annotations carry their values (the colour space is known before data flows).
/// </summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    public SchemaShape(IEnumerable<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
    }

    public int Count => _columns.Length;

    public Column this[int index] => _columns[index];

    /// <summary>The visible columns of a runtime schema.</summary>
    public static SchemaShape Create(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema.Where(c => !c.IsHidden).Select(Column.From));
    }

    public bool TryFindColumn(string name, out Column column)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = _columns.Length - 1; i >= 0; i--)
        {
            if (_columns[i].Name == name)
            {
                column = _columns[i];
                return true;
            }
        }
        column = default;
        return false;
    }

    /// <summary>
    /// Finds <paramref name="name"/> and checks its type with <paramref name="accepts"/>; throws ML.NET's errors
    /// "Could not find input column 'X'" or "Schema mismatch for input column 'X': expected E, got A".
    /// </summary>
    public Column FindInput(string name, string expected, Func<Column, bool> accepts)
    {
        ArgumentNullException.ThrowIfNull(accepts);
        if (!TryFindColumn(name, out var column)) throw SchemaErrors.MissingInput(name);
        if (!accepts(column)) throw SchemaErrors.Mismatch(name, expected, column.GetTypeString());
        return column;
    }

    /// <summary>A copy with <paramref name="added"/> appended; a column of the same name is replaced in place.</summary>
    public SchemaShape With(params Column[] added)
    {
        var list = _columns.ToList();
        foreach (var c in added)
        {
            int i = list.FindIndex(x => x.Name == c.Name);
            if (i >= 0) list[i] = c;
            else list.Add(c);
        }
        return new SchemaShape(list);
    }

    /// <summary>A runtime schema with these columns (vectors of unknown size), to run a transformer's schema check at estimator time.</summary>
    public DataViewSchema ToSchema()
    {
        var b = new DataViewSchema.Builder();
        foreach (var c in _columns)
        {
            var type = c.Kind == Column.VectorKind.Scalar ? c.ItemType
                : c.ItemType is PrimitiveDataViewType p ? new VectorDataViewType(p) : c.ItemType;
            b.AddColumn(c.Name, type, c.Annotations);
        }
        return b.ToSchema();
    }

    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", _columns.Select(c => $"{c.Name}: {c.GetTypeString()}"));

    /// <summary>One column's shape: name, vector kind, item type and annotations.</summary>
    public readonly struct Column
    {
        public enum VectorKind
        {
            Scalar,
            Vector,
            VariableVector,
        }

        public Column(string name, VectorKind vecKind, DataViewType itemType, bool isKey = false, DataViewSchema.Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(itemType);
            Name = name;
            Kind = vecKind;
            ItemType = itemType;
            IsKey = isKey;
            Annotations = annotations ?? DataViewSchema.Annotations.Empty;
        }

        /// <summary>An image column (scalar of <see cref="ImageDataViewType"/>) with the given annotations.</summary>
        public static Column Image(string name, DataViewSchema.Annotations? annotations = null, int height = 0, int width = 0) =>
            new(name, VectorKind.Scalar, new ImageDataViewType(height, width), false, annotations);

        public static Column From(DataViewSchema.Column c) => c.Type is VectorDataViewType v
            ? new Column(c.Name, v.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector, v.ItemType, false, c.Annotations)
            : new Column(c.Name, VectorKind.Scalar, c.Type, false, c.Annotations);

        public string Name { get; }
        public VectorKind Kind { get; }
        public DataViewType ItemType { get; }
        public bool IsKey { get; }
        public DataViewSchema.Annotations Annotations { get; }

        public bool IsImage => Kind == VectorKind.Scalar && ItemType is ImageDataViewType;

        /// <summary>The type as error messages spell it: "Image", "String", "Single", "Vector&lt;Single&gt;".</summary>
        public string GetTypeString() => Kind switch
        {
            VectorKind.Scalar => ItemType is ImageDataViewType ? "Image" : ItemType.ToString() ?? "",
            _ => $"Vector<{ItemType}>",
        };

        public override string ToString() => $"{Name}: {GetTypeString()}";
    }
}
