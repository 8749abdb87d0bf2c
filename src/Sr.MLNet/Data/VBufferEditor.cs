namespace Sr.MLNet;

/// <summary>Writes into a <see cref="VBuffer{T}"/>, reusing its array when it is large enough (ML.NET's <c>VBufferEditor</c>).</summary>
public static class VBufferEditor
{
    /// <summary>Returns the span to fill; <paramref name="destination"/> already refers to it with <paramref name="length"/> items.</summary>
    public static Span<T> Create<T>(ref VBuffer<T> destination, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var array = destination.Array is { } a && a.Length >= length ? a : new T[length];
        destination = new VBuffer<T>(length, array);
        return array.AsSpan(0, length);
    }
}
