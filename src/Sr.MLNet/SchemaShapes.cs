using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Sr.MLNet.Mappings;

namespace Sr.MLNet;

/// <summary>
/// Schema checks and propagation for SrMlNet's estimators: errors name the step, the column, the expected and the actual type.
/// </summary>
internal static class SchemaShapes
{
    public static readonly DataViewType Image = new ImageDataViewType();

    /// <summary>
    /// The input shape with an <see cref="SrImage"/> (or, with <paramref name="image"/>, an MLImage) column
    /// <paramref name="name"/> added. ML.NET 5 keeps <c>SchemaShape.Column</c>'s constructor and <c>SchemaShape.Create</c>
    /// internal, so the column comes from ML.NET's own estimators: a never-saved CustomMapping makes a column of the type,
    /// CopyColumns names it, DropColumns removes the prototype.
    /// </summary>
    public static SchemaShape With(TransformsCatalog catalog, SchemaShape input, string name, bool image)
    {
        var prototype = image
            ? catalog.CustomMapping<NoColumns, PhotoOutput>((_, _) => { }, contractName: null).GetOutputSchema(input)
            : catalog.CustomMapping<NoColumns, SrImageOutput>((_, _) => { }, contractName: null).GetOutputSchema(input);
        var named = catalog.CopyColumns(name, SrColumns.Output).GetOutputSchema(prototype);
        return name == SrColumns.Output ? named : catalog.DropColumns(SrColumns.Output).GetOutputSchema(named);
    }

    /// <summary>The input column <paramref name="name"/>, checked to be one of <paramref name="accepted"/>; the error names the column and both types.</summary>
    public static SchemaShape.Column Require(SchemaShape input, string name, string step, params DataViewType[] accepted)
    {
        if (!input.Any(c => c.Name == name))
            throw new ArgumentOutOfRangeException(nameof(input), $"{step}: input column '{name}' not found (columns: {string.Join(", ", input.Select(c => c.Name))}).");
        var column = input.First(c => c.Name == name);
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

    private static string Describe(SchemaShape.Column c) => c.Kind == SchemaShape.Column.VectorKind.Scalar ? Describe(c.ItemType) : $"a vector of {Describe(c.ItemType)}";

    private static string Describe(DataViewType t) => t switch
    {
        ImageDataViewType => "Image (MLImage)",
        SrImageDataViewType => "SrImage (float planes, from ConvertToYCbCr)",
        _ => t.ToString() ?? t.GetType().Name,
    };
}
