using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Sr.MLNet;

/// <summary>
/// Schema propagation for SrMlNet's estimators. ML.NET 5 keeps <c>SchemaShape.Column</c>'s constructor internal, so an outside
/// estimator builds its output shape from a <see cref="DataViewSchema"/> (public) and <see cref="SchemaShape.Create"/>. A
/// known-size vector's size is not part of a <see cref="SchemaShape"/> and is given as 1 here; annotations are not carried.
/// </summary>
internal static class SchemaShapes
{
    public static readonly DataViewType Image = new ImageDataViewType();

    /// <summary>The input shape with <paramref name="columns"/> added (a same-named column is replaced, as ML.NET hides it).</summary>
    public static SchemaShape With(SchemaShape input, params (string name, DataViewType type)[] columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var c in input)
        {
            if (columns.Any(n => n.name == c.Name)) continue;
            builder.AddColumn(c.Name, TypeOf(c));
        }
        foreach (var (name, type) in columns) builder.AddColumn(name, type);
        return SchemaShape.Create(builder.ToSchema());
    }

    /// <summary>The input column <paramref name="name"/>, checked to be one of <paramref name="accepted"/>; the error names the column and both types.</summary>
    public static SchemaShape.Column Require(SchemaShape input, string name, string step, params DataViewType[] accepted)
    {
        if (!input.TryFindColumn(name, out var column))
            throw new ArgumentOutOfRangeException(nameof(input), $"{step}: input column '{name}' not found (columns: {string.Join(", ", input.Select(c => c.Name))}).");
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || !accepted.Any(t => Same(t, column.ItemType)))
            throw new ArgumentOutOfRangeException(nameof(input), $"{step}: column '{name}' should be {string.Join(" or ", accepted.Select(Describe))}, but is {Describe(column)}.");
        return column;
    }

    /// <summary>The same as <see cref="Require(SchemaShape, string, string, DataViewType[])"/> on a data view's schema.</summary>
    public static DataViewType Require(DataViewSchema schema, string name, string step, params DataViewType[] accepted)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"{step}: input column '{name}' not found (columns: {string.Join(", ", schema.Select(c => c.Name))}).");
        if (!accepted.Any(t => Same(t, column.Type)))
            throw new ArgumentOutOfRangeException(nameof(schema), $"{step}: column '{name}' should be {string.Join(" or ", accepted.Select(Describe))}, but is {Describe(column.Type)}.");
        return column.Type;
    }

    /// <summary>Images compare by kind: ML.NET's own image types differ by the size LoadImages/ResizeImages give them.</summary>
    public static bool Same(DataViewType a, DataViewType b) =>
        a is ImageDataViewType ? b is ImageDataViewType : a.Equals(b);

    private static DataViewType TypeOf(SchemaShape.Column c) => c.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => c.ItemType,
        SchemaShape.Column.VectorKind.VariableVector => new VectorDataViewType((PrimitiveDataViewType)c.ItemType),
        _ => new VectorDataViewType((PrimitiveDataViewType)c.ItemType, 1),
    };

    private static string Describe(SchemaShape.Column c) => c.Kind == SchemaShape.Column.VectorKind.Scalar ? Describe(c.ItemType) : $"a vector of {Describe(c.ItemType)}";

    private static string Describe(DataViewType t) => t switch
    {
        ImageDataViewType => "Image (MLImage)",
        SrImageDataViewType => "SrImage (float planes, from ConvertToYCbCr)",
        _ => t.ToString() ?? t.GetType().Name,
    };
}
