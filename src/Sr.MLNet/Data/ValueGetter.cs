namespace Sr.MLNet;

/// <summary>
/// Reads the current row's value of one column into <paramref name="value"/>. The caller owns the buffer and passes
/// it back on every call; the getter reuses it (arrays, tensors) rather than allocating (ML.NET's contract).
/// </summary>
public delegate void ValueGetter<TValue>(ref TValue value);
