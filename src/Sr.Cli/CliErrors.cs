using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli;

/// <summary>Turns exceptions into the one line a user reads.</summary>
public static class CliErrors
{
    public static string Describe(Exception e) => e switch
    {
        ImageFormatException ife => ife.Message,
        FileNotFoundException fnf => $"{fnf.FileName ?? "file"}: not found",
        DirectoryNotFoundException dnf => dnf.Message,
        UnauthorizedAccessException ua => ua.Message,
        TorchException te => $"libtorch: {te.Message.Split('\n')[0]}",
        OperationCanceledException => "cancelled",
        AggregateException { InnerExceptions.Count: 1 } ae => Describe(ae.InnerExceptions[0]),
        _ => e.Message,
    };
}
