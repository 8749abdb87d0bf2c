using Sr.Torch.io;

namespace Sr.MLNet;

/// <summary>
/// <c>sr.Model</c>: saving and loading model zips in ML.NET's layout (see <c>ModelRepository</c> for the entries). A lone
/// transformer is saved as a one-element chain; loading always returns the chain.
/// </summary>
public sealed class ModelOperationsCatalog
{
    private readonly SrContext _env;

    internal ModelOperationsCatalog(SrContext env) => _env = env;

    /// <summary>Writes the zip through a temporary file and a rename: an existing file is replaced whole or not at all.</summary>
    public void Save(ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        var repo = Build(model, inputSchema);
        AtomicFile.Write(filePath, repo.WriteTo);
    }

    public void Save(ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);
        Build(model, inputSchema).WriteTo(stream);
    }

    private static ModelRepository Build(ITransformer model, DataViewSchema inputSchema)
    {
        bool isChain = model.GetType().IsGenericType && model.GetType().GetGenericTypeDefinition() == typeof(TransformerChain<>);
        var chain = isChain ? model : new TransformerChain<ITransformer>(model);
        var repo = new ModelRepository();
        repo.Add(ModelRepository.SchemaEntry, System.Text.Encoding.UTF8.GetBytes(SchemaJson.Write(inputSchema)));
        ModelSaveContext.Save(repo, chain, ModelRepository.ChainDirectory);
        return repo;
    }

    /// <summary>
    /// Reads a zip written by <see cref="Save(ITransformer, DataViewSchema, string)"/>. A foreign, truncated or tampered
    /// file, a newer format, or an unregistered transformer is a <see cref="ModelFormatException"/> naming the file.
    /// </summary>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        if (!File.Exists(filePath)) throw new FileNotFoundException($"{filePath}: no such model file.", filePath);
        using var fs = File.OpenRead(filePath);
        return Load(fs, filePath, out inputSchema);
    }

    public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Load(stream, "<stream>", out inputSchema);
    }

    private ITransformer Load(Stream stream, string source, out DataViewSchema inputSchema)
    {
        var repo = ModelRepository.Read(stream, source);
        var schemaBytes = repo.TryGet(ModelRepository.SchemaEntry) ?? throw new ModelFormatException(source, $"has no {ModelRepository.SchemaEntry} entry");
        inputSchema = SchemaJson.Read(System.Text.Encoding.UTF8.GetString(schemaBytes), p => new ModelFormatException(source, p));
        return ModelLoadContext.Load(_env, repo, ModelRepository.ChainDirectory, source);
    }
}
