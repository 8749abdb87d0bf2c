using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sr.MLNet;

/// <summary>The one JSON configuration of model zips and metric files: invariant, indented, enums by name.</summary>
internal static class ModelJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = true,
    };
}
