using System.Reflection;

namespace Sr.MLNet;

/// <summary>How a row class maps to columns: one public read/write property a column, typed by its .NET type.</summary>
internal sealed record RowMapping(string ColumnName, PropertyInfo Property, DataViewType Type)
{
    public static IReadOnlyList<RowMapping> Of(Type rowType)
    {
        var result = new List<RowMapping>();
        foreach (var p in rowType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.IsDefined(typeof(NoColumnAttribute)) || p.GetIndexParameters().Length > 0) continue;
            var name = p.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? p.Name;
            result.Add(new RowMapping(name, p, TypeOf(p)));
        }
        return result;
    }

    private static DataViewType TypeOf(PropertyInfo p)
    {
        var t = p.PropertyType;
        if (t == typeof(string)) return TextDataViewType.Instance;
        if (t == typeof(float)) return NumberDataViewType.Single;
        if (t == typeof(double)) return NumberDataViewType.Double;
        if (t == typeof(int)) return NumberDataViewType.Int32;
        if (t == typeof(long)) return NumberDataViewType.Int64;
        if (t == typeof(bool)) return BooleanDataViewType.Instance;
        if (t == typeof(SrImage)) return new ImageDataViewType();
        var dims = p.GetCustomAttribute<VectorTypeAttribute>()?.Dimensions ?? [];
        if (t == typeof(float[])) return new VectorDataViewType(NumberDataViewType.Single, dims);
        if (t == typeof(double[])) return new VectorDataViewType(NumberDataViewType.Double, dims);
        throw new ArgumentException($"Property '{p.Name}' of {p.DeclaringType?.Name} has type {t.Name}, which has no column type (use string, float, double, int, long, bool, SrImage, float[] or double[]; or [NoColumn]).");
    }

    /// <summary>Reads the property as the column's raw type.</summary>
    public object? Read(object row)
    {
        var v = Property.GetValue(row);
        return v switch
        {
            float[] a => new VBuffer<float>(a.Length, a),
            double[] a => new VBuffer<double>(a.Length, a),
            _ => v,
        };
    }

    /// <summary>Writes a raw value to the property (vectors become arrays).</summary>
    public void Write(object row, object? value)
    {
        var v = value switch
        {
            VBuffer<float> b => b.GetValues().ToArray(),
            VBuffer<double> b => b.GetValues().ToArray(),
            _ => value,
        };
        Property.SetValue(row, v);
    }
}
