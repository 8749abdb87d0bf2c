using Sr.Models.Networks;

namespace Sr.Models.Onnx;

/// <summary>A module (not an <see cref="SrNetwork"/>) that writes its own forward into an ONNX graph.</summary>
internal interface IOnnxExportable
{
    string ExportOnnx(OnnxGraphBuilder g, string input);
}
