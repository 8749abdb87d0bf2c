using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Torch;
using Sr.Torch.Serialization;

namespace Sr.MLNet;

/// <summary>
/// Where a transformer reads itself back (ML.NET's <c>ModelLoadContext</c>, public here). Every problem becomes a
/// <see cref="ModelFormatException"/> naming the zip and the entry.
/// </summary>
public sealed class ModelLoadContext
{
    private readonly ModelRepository _repository;
    private readonly ModelKey _key;

    internal ModelLoadContext(SrContext environment, ModelRepository repository, string directory, string source)
    {
        Environment = environment;
        _repository = repository;
        Directory = directory;
        Source = source;
        var bytes = repository.TryGet($"{directory}/Model.key") ?? throw Error($"has no {directory}/Model.key");
        _key = ModelKey.Parse(bytes, p => Error($"{directory}/Model.key {p}"));
    }

    public SrContext Environment { get; }

    /// <summary>The zip being read (for messages).</summary>
    public string Source { get; }

    public string Directory { get; }

    public string LoaderSignature => _key.LoaderSignature;

    public string ModelSignature => _key.ModelSignature;

    /// <summary>The version the writer wrote (to read older layouts conditionally).</summary>
    public uint VersionWritten => _key.VerWritten;

    /// <summary>Checks the model signature and that this code can read the version written (ML.NET's <c>CheckAtModel</c>).</summary>
    public void CheckAtModel(VersionInfo expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (_key.ModelSignature != expected.ModelSignature)
            throw Error($"{Directory} holds a '{_key.ModelSignature}' model, not '{expected.ModelSignature}'");
        if (_key.VerReadable > expected.VerWrittenCur)
            throw Error($"{Directory} ({_key.LoaderSignature}) was written as version 0x{_key.VerWritten:X8}, which needs a reader of version 0x{_key.VerReadable:X8} or newer; this SrMlNet is 0x{expected.VerWrittenCur:X8}");
        if (_key.VerWritten < expected.VerWeCanReadBack)
            throw Error($"{Directory} ({_key.LoaderSignature}) was written as version 0x{_key.VerWritten:X8}, older than the oldest this SrMlNet reads (0x{expected.VerWeCanReadBack:X8})");
    }

    public T LoadOptions<T>()
    {
        try
        {
            return JsonSerializer.Deserialize<T>(_key.OptionsJson, ModelJson.Options) ?? throw Error($"{Directory}/Model.key has empty options");
        }
        catch (JsonException e)
        {
            throw Error($"{Directory}/Model.key has options that do not parse as {typeof(T).Name} ({e.Message})", e);
        }
    }

    public JsonNode LoadOptionsNode()
    {
        try
        {
            return JsonNode.Parse(_key.OptionsJson) ?? throw Error($"{Directory}/Model.key has empty options");
        }
        catch (JsonException e)
        {
            throw Error($"{Directory}/Model.key has options that are not JSON ({e.Message})", e);
        }
    }

    public bool TryLoadBinaryStream(string name, Action<Stream> read)
    {
        ModelSaveContext.CheckName(name);
        ArgumentNullException.ThrowIfNull(read);
        var bytes = _repository.TryGet($"{Directory}/{name}");
        if (bytes is null) return false;
        using var ms = new MemoryStream(bytes, writable: false);
        read(ms);
        return true;
    }

    public void LoadBinaryStream(string name, Action<Stream> read)
    {
        if (!TryLoadBinaryStream(name, read)) throw Error($"has no {Directory}/{name}");
    }

    public string LoadTextStream(string name)
    {
        string text = "";
        LoadBinaryStream(name, s => text = new StreamReader(s, System.Text.Encoding.UTF8).ReadToEnd());
        return text;
    }

    /// <summary>Copies the safetensors stream <paramref name="name"/> into <paramref name="module"/> (strict: every key, same shapes).</summary>
    public void LoadWeights(string name, torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        LoadBinaryStream(name, s =>
        {
            Dictionary<string, Tensor> state;
            try
            {
                state = Safetensors.LoadStateDict(s, $"{Source}:{Directory}/{name}");
            }
            catch (WeightsFormatException e)
            {
                throw Error($"{Directory}/{name} is not valid safetensors ({e.Problem})", e);
            }
            try
            {
                module.load_state_dict(state, strict: true);
            }
            catch (ArgumentException e)
            {
                throw Error($"{Directory}/{name} does not fit the network: {e.Message}", e);
            }
            finally
            {
                foreach (var t in state.Values) t.Dispose();
            }
        });
    }

    /// <summary>Loads a nested model saved with <see cref="ModelSaveContext.SaveModel"/>.</summary>
    public ITransformer LoadModel(string name)
    {
        ModelSaveContext.CheckName(name);
        return Load(Environment, _repository, $"{Directory}/{name}", Source);
    }

    internal static ITransformer Load(SrContext env, ModelRepository repository, string directory, string source)
    {
        var ctx = new ModelLoadContext(env, repository, directory, source);
        return env.ComponentCatalog.Create(ctx);
    }

    /// <summary>A <see cref="ModelFormatException"/> naming the zip.</summary>
    public ModelFormatException Error(string problem, Exception? inner = null) => new(Source, problem, inner);
}
