namespace Sr.MLNet;

/// <summary>Copy rules for column values: images and vectors are deep-copied into the caller's buffer (reusing it), the rest assigned.</summary>
internal static class Values
{
    public static void CopyInto<T>(T source, ref T destination)
    {
        if (source is SrImage img)
        {
            var dst = destination as SrImage;
            SrImage.Assign(ref dst, img);
            destination = (T)(object)dst!;
        }
        else if (source is VBuffer<float> vf) destination = (T)(object)CopyVector(vf, (VBuffer<float>)(object)destination!);
        else if (source is VBuffer<double> vd) destination = (T)(object)CopyVector(vd, (VBuffer<double>)(object)destination!);
        else if (source is VBuffer<int> vi) destination = (T)(object)CopyVector(vi, (VBuffer<int>)(object)destination!);
        else if (source is VBuffer<long> vl) destination = (T)(object)CopyVector(vl, (VBuffer<long>)(object)destination!);
        else destination = source;
    }

    /// <summary>A copy owned by the caller (images: a new tensor).</summary>
    public static object? Clone(object? value) => value switch
    {
        SrImage img => img.Clone(),
        VBuffer<float> v => new VBuffer<float>(v.Length, v.GetValues().ToArray()),
        VBuffer<double> v => new VBuffer<double>(v.Length, v.GetValues().ToArray()),
        VBuffer<int> v => new VBuffer<int>(v.Length, v.GetValues().ToArray()),
        VBuffer<long> v => new VBuffer<long>(v.Length, v.GetValues().ToArray()),
        _ => value,
    };

    public static void DisposeValue(object? value) => (value as IDisposable)?.Dispose();

    private static VBuffer<TItem> CopyVector<TItem>(VBuffer<TItem> source, VBuffer<TItem> destination)
    {
        var span = VBufferEditor.Create(ref destination, source.Length);
        source.GetValues().CopyTo(span);
        return destination;
    }

    /// <summary>The getter-type check every cursor makes (ML.NET: "Getters Must Fail for Invalid Types").</summary>
    public static void CheckGetterType<T>(DataViewSchema.Column column)
    {
        if (typeof(T) != column.Type.RawType)
            throw new InvalidOperationException($"Invalid TValue in GetGetter: column '{column.Name}' is {column.Type} (raw type {column.Type.RawType.Name}), not {typeof(T).Name}.");
    }

    public static InvalidOperationException Inactive(DataViewSchema.Column column) =>
        new($"Column '{column.Name}' is not active in this cursor: pass it in columnsNeeded.");
}
