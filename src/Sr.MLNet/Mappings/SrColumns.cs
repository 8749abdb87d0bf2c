namespace Sr.MLNet.Mappings;

/// <summary>
/// The column names SrMlNet's steps use between their own transforms. ML.NET's <c>CustomMapping</c> saves only a contract
/// name, and a loaded mapping takes its column names from its row classes, so every step copies the user's column into
/// <see cref="Input"/>, maps, copies <see cref="Output"/> to the user's column and drops these again.
/// The ONNX network's own names (pixels, hw, out, out_hw) are the graph's and are dropped the same way.
/// </summary>
public static class SrColumns
{
    public const string Input = "SrMlNet.Input";
    public const string Chroma = "SrMlNet.Chroma";
    public const string Output = "SrMlNet.Output";
    public const string Config = "SrMlNet.Config";
    public const string Anchor = "SrMlNet.Anchor";
    public const string Pixels = "pixels";
    public const string Hw = "hw";
    public const string Out = "out";
    public const string OutHw = "out_hw";
}
