using System.CommandLine;
using Sr.Models.Inference;

namespace Sr.Cli.Commands;

/// <summary>The shared `--backend libtorch|onnx` option of the commands that run a trained network.</summary>
internal static class BackendOption
{
    public static Option<string> Create() => new Option<string>("--backend")
    {
        Description = "The engine that runs a trained network: libtorch (default) or onnx (ONNX Runtime, the network exported in memory; an .onnx model always runs in ONNX Runtime).",
        DefaultValueFactory = _ => "libtorch",
    }.AcceptOnlyFromAmong("libtorch", "onnx");

    public static InferenceBackend Parse(string? value) =>
        string.Equals(value, "onnx", StringComparison.OrdinalIgnoreCase) ? InferenceBackend.Onnx : InferenceBackend.Libtorch;
}
