using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Torch;
using Sr.Torch.Serialization;

namespace Sr.MLNet;

/// <summary>
/// Where a transformer writes itself (ML.NET's <c>ModelSaveContext</c>, public here): its version info, its options as
/// JSON, binary side streams (network weights) and nested transformers, all under its own directory of the zip.
/// </summary>
public sealed class ModelSaveContext
{
    private readonly ModelRepository _repository;
    private VersionInfo? _version;
    private string _optionsJson = "{}";

    internal ModelSaveContext(ModelRepository repository, string directory)
    {
        _repository = repository;
        Directory = directory;
    }

    /// <summary>This transformer's directory inside the zip ("TransformerChain/Transform_000").</summary>
    public string Directory { get; }

    /// <summary>Required once: the model and loader signatures and versions written into <c>Model.key</c>.</summary>
    public void SetVersionInfo(VersionInfo versionInfo)
    {
        ArgumentNullException.ThrowIfNull(versionInfo);
        _version = versionInfo;
    }

    /// <summary>Stores the options (a record or class; public properties and fields) as the JSON body of <c>Model.key</c>.</summary>
    public void SaveOptions<T>(T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _optionsJson = JsonSerializer.Serialize(options, ModelJson.Options);
    }

    public void SaveOptions(JsonNode options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _optionsJson = options.ToJsonString(ModelJson.Options);
    }

    /// <summary>Writes a side stream <paramref name="name"/> next to <c>Model.key</c> (names: letters, digits, '.', '_', '-').</summary>
    public void SaveBinaryStream(string name, Action<Stream> write)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(write);
        using var ms = new MemoryStream();
        write(ms);
        _repository.Add($"{Directory}/{name}", ms.ToArray());
    }

    public void SaveTextStream(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        SaveBinaryStream(name, s => s.Write(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Writes a network's state dict (parameters and persistent buffers, by dotted name) as side stream
    /// <paramref name="name"/> in safetensors format — readable by PyTorch/HF tools after unzipping.
    /// </summary>
    public void SaveWeights(string name, torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        SaveBinaryStream(name, s => Safetensors.SaveStateDict(s, module.state_dict()));
    }

    /// <summary>Saves a nested model (a chain's elements) in the sub-directory <paramref name="name"/>.</summary>
    public void SaveModel(ICanSaveModel model, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckName(name);
        Save(_repository, model, $"{Directory}/{name}");
    }

    internal static void Save(ModelRepository repository, ICanSaveModel model, string directory)
    {
        var ctx = new ModelSaveContext(repository, directory);
        model.Save(ctx);
        var v = ctx._version ?? throw new InvalidOperationException($"{model.GetType().Name}.Save did not call SetVersionInfo.");
        repository.Add($"{directory}/Model.key",
            new ModelKey(v.ModelSignature, v.VerWrittenCur, v.VerReadableCur, v.VerWeCanReadBack, v.LoaderSignature, ctx._optionsJson).ToBytes());
    }

    internal static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 100 || name == "Model.key" || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || name.Trim('.').Length == 0)
            throw new ArgumentException($"'{name}' is not a valid stream name (letters, digits, '.', '_', '-'; not Model.key).", nameof(name));
    }
}
