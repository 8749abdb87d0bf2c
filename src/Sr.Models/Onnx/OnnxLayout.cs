namespace Sr.Models.Onnx;

/// <summary>The input/output layout of an exported ONNX model (see <see cref="OnnxExporter"/> for the exact tensors).</summary>
public enum OnnxLayout
{
    /// <summary>"input" float N×C×H×W → "output" N×C×sH×sW, the network's raw forward (not clamped).</summary>
    Nchw,

    /// <summary>
    /// One image as flat planes, for ML.NET's OnnxTransformer (one dynamic axis per input): "pixels" float 1×P and "hw" int64 {h, w}
    /// → "out" float 1×Q (clamped to [0,1]) and "out_hw" int64 {s·h, s·w}.
    /// </summary>
    Flat,

    /// <summary>"image" float 1×3×H×W RGB in [0,1] → "image_out" 1×3×sH×sW RGB in [0,1], colour handling included.</summary>
    Image,
}
