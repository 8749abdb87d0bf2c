using System.Collections;

namespace Sr.MLNet;

/// <summary>
/// A fitted pipeline (ML.NET's <c>TransformerChain&lt;T&gt;</c>): transformers applied in order, each with a
/// <see cref="TransformerScope"/>. <see cref="Transform(IDataView)"/> skips training-only steps (no patches, no
/// augmentation) but keeps TrainTest steps (synthetic degradation, needed to evaluate on HR images);
/// <c>GetModelFor(TransformerScope.Scoring)</c> is the deployed model for real LR inputs.
/// </summary>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>, IDisposable
    where TLastTransformer : class, ITransformer
{
    internal static readonly VersionInfo Version = new("XF CHAIN", 0x00010001, 0x00010001, 0x00010001, "TransformerChain");

    private readonly ITransformer[] _transformers;
    private readonly TransformerScope[] _scopes;

    public TransformerChain(params ITransformer[] transformers)
        : this(transformers, transformers.Select(_ => TransformerScope.Everything)) { }

    public TransformerChain(IEnumerable<ITransformer> transformers, IEnumerable<TransformerScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        ArgumentNullException.ThrowIfNull(scopes);
        _transformers = transformers.ToArray();
        _scopes = scopes.ToArray();
        if (_transformers.Length != _scopes.Length) throw new ArgumentException("Give one scope per transformer.", nameof(scopes));
        if (_transformers.Any(t => t is null)) throw new ArgumentException("A transformer is null.", nameof(transformers));
        if (_transformers.Length > 0 && _transformers[^1] is not TLastTransformer)
            throw new ArgumentException($"The last transformer is a {_transformers[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.", nameof(transformers));
    }

    /// <summary>The last transformer (for a chain ending in SuperResolve: the trained network).</summary>
    public TLastTransformer? LastTransformer => _transformers.Length == 0 ? null : (TLastTransformer)_transformers[^1];

    public IReadOnlyList<TransformerScope> Scopes => _scopes;

    public int Count => _transformers.Length;

    public bool IsRowToRowMapper => Applied(DefaultScope).All(t => t.IsRowToRowMapper);

    /// <summary>What <see cref="Transform(IDataView)"/> applies: every step except training-only ones.</summary>
    public const TransformerScope DefaultScope = TransformerScope.Testing | TransformerScope.Scoring;

    private IEnumerable<ITransformer> Applied(TransformerScope scope) =>
        _transformers.Where((_, i) => (_scopes[i] & scope) != 0);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => GetOutputSchema(inputSchema, DefaultScope);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema, TransformerScope scope)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var s = inputSchema;
        foreach (var t in Applied(scope)) s = t.GetOutputSchema(s);
        return s;
    }

    public IDataView Transform(IDataView input) => Transform(input, DefaultScope);

    /// <summary>Applies the transformers whose scope intersects <paramref name="scope"/> (lazily).</summary>
    public IDataView Transform(IDataView input, TransformerScope scope)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dv = input;
        foreach (var t in Applied(scope)) dv = t.Transform(dv);
        return dv;
    }

    /// <summary>The chain of the transformers whose scope intersects <paramref name="scopeFilter"/> (sharing them: dispose only one of the two chains).</summary>
    public TransformerChain<ITransformer> GetModelFor(TransformerScope scopeFilter)
    {
        var keep = Enumerable.Range(0, _transformers.Length).Where(i => (_scopes[i] & scopeFilter) != 0).ToArray();
        return new TransformerChain<ITransformer>(keep.Select(i => _transformers[i]), keep.Select(i => _scopes[i]));
    }

    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer, TransformerScope scope = TransformerScope.Everything)
        where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TNewLast>(_transformers.Append(transformer), _scopes.Append(scope));
    }

    /// <summary>
    /// *** Binary format *** Model.key options: { "Scopes": [scope per transformer] }; transformer i in
    /// sub-directory <c>Transform_{i:000}</c> (ML.NET's names).
    /// </summary>
    public void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(Version);
        ctx.SaveOptions(new ChainOptions { Scopes = [.. _scopes] });
        for (int i = 0; i < _transformers.Length; i++) ctx.SaveModel(_transformers[i], $"Transform_{i:000}");
    }

    internal static TransformerChain<ITransformer> Create(ModelLoadContext ctx)
    {
        ctx.CheckAtModel(Version);
        var options = ctx.LoadOptions<ChainOptions>();
        var transformers = new List<ITransformer>();
        try
        {
            for (int i = 0; i < options.Scopes.Length; i++) transformers.Add(ctx.LoadModel($"Transform_{i:000}"));
        }
        catch
        {
            foreach (var t in transformers) (t as IDisposable)?.Dispose();
            throw;
        }
        return new TransformerChain<ITransformer>(transformers, options.Scopes);
    }

    internal sealed class ChainOptions
    {
        public TransformerScope[] Scopes { get; set; } = [];
    }

    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every transformer that owns native state.</summary>
    public void Dispose()
    {
        foreach (var t in _transformers) (t as IDisposable)?.Dispose();
    }
}
