using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Sr.Models.Upscaling;

/// <summary>
/// What a model file holds, read without building the network: the registry name, the scale, the colour space, the options
/// and the training facts it stores, and the SHA-256 of its bytes (so a result can name exactly which file produced it).
/// </summary>
/// <param name="Path">The file it was read from.</param>
/// <param name="Kind">"srm" (SrMlNet model file), "onnx" (an ONNX model exported by SrMlNet) or "mlnet-zip" (an ML.NET pipeline zip).</param>
/// <param name="ModelName">The registry name of the network ("rsrnet-sr", …).</param>
/// <param name="Scale">The upscaling factor the weights were trained for.</param>
/// <param name="ColorSpace">What the network reads: Y or RGB.</param>
/// <param name="Options">The network options (null = the registry's defaults).</param>
/// <param name="Facts">Training provenance as stored (steps, data, seed, validation PSNR, …); empty when the file has none.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole file.</param>
public sealed record ModelFileInfo(string Path, string Kind, string ModelName, int Scale, ColorSpace ColorSpace, JsonObject? Options,
    IReadOnlyDictionary<string, string> Facts, string Sha256)
{
    /// <summary>Lower-case hex SHA-256 of a file's bytes, streamed (model files can be hundreds of MB).</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
