namespace Sr.Models.Inference;

/// <summary>Which engine runs a trained network.</summary>
public enum InferenceBackend
{
    /// <summary>The network's own forward through libtorch (the default; also the only engine that trains).</summary>
    Libtorch,

    /// <summary>The network exported to ONNX and run by ONNX Runtime (CPU execution provider).</summary>
    Onnx,
}
