namespace Sr.Torch;

/// <summary>An error raised inside libtorch (or the native shim), carrying its message. The process keeps running.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }
    public TorchException(string message, Exception inner) : base(message, inner) { }
}
