using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sr.Models.Registry;

/// <summary>Binds a model's JSON options to its options record, with errors that name the model and the option.</summary>
public static class ModelOptions
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>The options record from <paramref name="json"/> (null → the defaults).</summary>
    public static T Bind<T>(string model, JsonObject? json) where T : new()
    {
        if (json is null) return new T();
        try
        {
            return json.Deserialize<T>(Json) ?? new T();
        }
        catch (JsonException e)
        {
            var known = string.Join(", ", typeof(T).GetProperties().Select(p => p.Name));
            throw new ArgumentException($"Invalid options for model '{model}': {e.Message} Known options: {known}.", nameof(json), e);
        }
    }

    /// <summary>
    /// The options record from <paramref name="json"/> laid over <paramref name="defaults"/> (not over <c>new T()</c>): fields the
    /// JSON names (any letter case) replace the defaults' values, the others keep them (e.g. a task's paper settings).
    /// </summary>
    public static T Bind<T>(string model, JsonObject? json, T defaults) where T : new()
    {
        ArgumentNullException.ThrowIfNull(defaults);
        if (json is null) return defaults;
        var merged = JsonSerializer.SerializeToNode(defaults, Json)!.AsObject();
        foreach (var (key, value) in json)
        {
            foreach (var same in merged.Select(p => p.Key).Where(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)).ToList()) merged.Remove(same);
            merged[key] = value?.DeepClone();
        }
        return Bind<T>(model, merged);
    }

    /// <summary>The defaults of an options record as JSON (what an options file starts from).</summary>
    public static JsonObject Defaults(Type optionsType) =>
        JsonSerializer.SerializeToNode(Activator.CreateInstance(optionsType), optionsType, Json)!.AsObject();
}
