namespace Sr.MLNet;

/// <summary>
/// The value of a <see cref="VectorDataViewType"/> column (ML.NET's <c>VBuffer&lt;T&gt;</c>), dense only. Getters reuse
/// the values array of the buffer they are handed when it is large enough (<see cref="VBufferEditor"/>).
/// </summary>
public readonly struct VBuffer<T>
{
    private readonly T[]? _values;

    public VBuffer(int length, T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (values.Length < length) throw new ArgumentException($"values holds {values.Length} items, fewer than length {length}.", nameof(values));
        Length = length;
        _values = values;
    }

    public int Length { get; }

    public bool IsDense => true;

    public ReadOnlySpan<T> GetValues() => _values is null ? [] : _values.AsSpan(0, Length);

    public IEnumerable<T> DenseValues()
    {
        for (int i = 0; i < Length; i++) yield return _values![i];
    }

    public void CopyTo(Span<T> destination) => GetValues().CopyTo(destination);

    /// <summary>The backing array (possibly longer than <see cref="Length"/>), for reuse by <see cref="VBufferEditor"/>.</summary>
    internal T[]? Array => _values;
}
