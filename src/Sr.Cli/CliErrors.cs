using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli;

/// <summary>Turns exceptions into the one line a user reads.</summary>
public static class CliErrors
{
    public static string Describe(Exception e) => e switch
    {
        ImageFormatException ife => ife.Message,
        FileNotFoundException { FileName: { } name } => $"{name}: not found",
        FileNotFoundException fnf => fnf.Message, // our own messages name the file and say what is missing
        DirectoryNotFoundException dnf => dnf.Message,
        UnauthorizedAccessException ua => ua.Message,
        TorchException te => $"libtorch: {te.Message.Split('\n')[0]}",
        OperationCanceledException => "cancelled",
        AggregateException { InnerExceptions.Count: 1 } ae => Describe(ae.InnerExceptions[0]),
        // ArgumentException appends "(Parameter 'x')": users need the sentence, not the C# parameter name.
        ArgumentException ae when ae.ParamName is { } p => ae.Message.Replace($" (Parameter '{p}')", ""),
        _ => e.Message,
    };

    /// <summary>"error: --model FILE: problem" — naming the model once, since errors from a model file already start with its name.</summary>
    public static string ModelError(string modelSpec, Exception e)
    {
        var message = Describe(e);
        return message.StartsWith(modelSpec + ":", StringComparison.Ordinal) ? $"error: --model {message}" : $"error: --model {modelSpec}: {message}";
    }
}
