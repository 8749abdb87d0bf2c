namespace Sr.Models.Inference;

/// <summary>How a network runs on whole images (<see cref="NetworkSuperResolver"/>, <see cref="Onnx.OnnxSuperResolver"/>).</summary>
public sealed record InferenceOptions
{
    /// <summary>
    /// Largest edge of the LR tiles (the image is split into equal tiles of at most this size); 0 (default) chooses: the whole image at once when it fits in the memory budget
    /// (<see cref="MemoryBudgetBytes"/>), else the largest tiles that do.
    /// </summary>
    public int TileSize { get; init; }

    /// <summary>
    /// LR pixels of context read around each tile (and discarded after); null = the network's
    /// <see cref="Networks.SrNetwork.ReceptiveFieldRadius"/>. Smaller values than that radius are refused, because the
    /// tiled result would then differ from the whole-image result.
    /// </summary>
    public int? TileOverlap { get; init; }

    /// <summary>
    /// ×8 self-ensemble: the average of the outputs for the 8 flips/rotations of the input, each transformed back
    /// (EDSR/BTSRN test-time augmentation; 8× the time).
    /// </summary>
    public bool SelfEnsemble { get; init; }

    /// <summary>
    /// The engine: libtorch (default) or ONNX Runtime. <see cref="Upscaling.ModelLoader"/> honours it for model files and the
    /// default model (an .onnx file always runs in ONNX Runtime); both give the same pixels to float rounding.
    /// </summary>
    public InferenceBackend Backend { get; init; } = InferenceBackend.Libtorch;

    /// <summary>
    /// Bytes of tensor memory an upscale may use when <see cref="TileSize"/> is 0; null = <see cref="MemoryBudget.DefaultBytes"/>
    /// (SR_MEMORY_BUDGET_MB, else 1/32 of the machine's memory).
    /// </summary>
    public long? MemoryBudgetBytes { get; init; }
}
