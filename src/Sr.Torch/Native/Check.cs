using System.Text;

namespace Sr.Torch.Native;

/// <summary>Turns the native error channel into .NET exceptions carrying libtorch's message.</summary>
internal static unsafe class Check
{
    internal static string? TakeError()
    {
        Span<byte> buf = stackalloc byte[4096];
        int len;
        fixed (byte* p = buf) len = NativeMethods.sr_take_error(p, buf.Length);
        if (len == 0) return null;
        if (len < buf.Length) return Encoding.UTF8.GetString(buf[..len]);
        // Longer than the stack buffer: the first 4095 bytes were copied and the error was cleared.
        return Encoding.UTF8.GetString(buf[..^1]) + "…";
    }

    internal static TorchException Failure(string fallback) => new(TakeError() ?? fallback);

    internal static IntPtr Handle(IntPtr h)
    {
        if (h == IntPtr.Zero) throw Failure("native call returned no tensor");
        return h;
    }

    internal static void Status(int rc)
    {
        if (rc != 0) throw Failure("native call failed");
    }
}
