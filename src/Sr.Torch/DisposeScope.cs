namespace Sr.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost open scope, and disposes them when
/// it is disposed — so a training step or an inference call does not grow native memory. Keep a result with
/// <see cref="MoveToOuter"/> (or <see cref="TensorScopeExtensions.MoveToOuterDisposeScope"/>).
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? _current;

    private readonly HashSet<Tensor> _owned = new(ReferenceEqualityComparer.Instance);
    private readonly DisposeScope? _outer;
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>The innermost open scope of this thread, or null.</summary>
    public static DisposeScope? Current => _current;

    public int DisposablesCount => _owned.Count;

    internal void Attach(Tensor t)
    {
        _owned.Add(t);
        t.OwningScope = this;
    }

    internal void Forget(Tensor t) => _owned.Remove(t);

    /// <summary>Hands the tensor to the enclosing scope (or to nobody: the caller then owns it).</summary>
    public T MoveToOuter<T>(T tensor) where T : Tensor
    {
        _owned.Remove(tensor);
        tensor.OwningScope = null;
        _outer?.Attach(tensor);
        return tensor;
    }

    /// <summary>Removes the tensor from every scope: the caller disposes it.</summary>
    public T Detach<T>(T tensor) where T : Tensor
    {
        _owned.Remove(tensor);
        tensor.OwningScope = null;
        return tensor;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _owned.ToArray())
        {
            t.OwningScope = null;
            t.Dispose();
        }
        _owned.Clear();
        // Scopes are a stack per thread; closing an inner scope late still restores its own outer.
        if (_current == this) _current = _outer;
    }
}

public static class TensorScopeExtensions
{
    public static T MoveToOuterDisposeScope<T>(this T tensor) where T : Tensor =>
        tensor.OwningScope is { } s ? s.MoveToOuter(tensor) : tensor;

    public static T DetachFromDisposeScope<T>(this T tensor) where T : Tensor =>
        tensor.OwningScope is { } s ? s.Detach(tensor) : tensor;
}
