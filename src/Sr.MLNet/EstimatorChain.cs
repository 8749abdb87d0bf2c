namespace Sr.MLNet;

/// <summary>
/// An unfitted pipeline (ML.NET's <c>EstimatorChain&lt;T&gt;</c>). <see cref="Fit"/> first checks the whole pipeline with
/// <see cref="GetOutputSchema"/> (so a wrong column name fails before an hour of training), then fits each estimator on
/// the output of the previous transformers — all of them, training-only ones included.
/// </summary>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;
    private readonly TransformerScope[] _scopes;
    private readonly bool[] _needCacheAfter;

    public EstimatorChain() : this([], [], []) { }

    private EstimatorChain(IEstimator<ITransformer>[] estimators, TransformerScope[] scopes, bool[] needCacheAfter)
    {
        _estimators = estimators;
        _scopes = scopes;
        _needCacheAfter = needCacheAfter;
        LastEstimator = estimators.Length == 0 ? null : (IEstimator<TLastTransformer>)estimators[^1];
    }

    public IEstimator<TLastTransformer>? LastEstimator { get; }

    public IReadOnlyList<TransformerScope> Scopes => _scopes;

    /// <summary>Appends <paramref name="estimator"/>; with the default scope an <see cref="IScopedEstimator"/> keeps its own.</summary>
    public EstimatorChain<TNewTrans> Append<TNewTrans>(IEstimator<TNewTrans> estimator, TransformerScope scope = TransformerScope.Everything)
        where TNewTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        if (scope == TransformerScope.Everything && estimator is IScopedEstimator scoped) scope = scoped.DefaultScope;
        return new EstimatorChain<TNewTrans>([.. _estimators, estimator], [.. _scopes, scope], [.. _needCacheAfter, false]);
    }

    /// <summary>Caches the data after the last estimator while fitting the rest (e.g. patches read by every training epoch).</summary>
    public EstimatorChain<TLastTransformer> AppendCacheCheckpoint(SrContext env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (_estimators.Length == 0) return this;
        var cache = (bool[])_needCacheAfter.Clone();
        cache[^1] = true;
        return new EstimatorChain<TLastTransformer>(_estimators, _scopes, cache);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var s = inputSchema;
        foreach (var e in _estimators) s = e.GetOutputSchema(s);
        return s;
    }

    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var current = input;
        var fitted = new List<ITransformer>();
        var caches = new List<IDisposable>();
        try
        {
            for (int i = 0; i < _estimators.Length; i++)
            {
                var t = _estimators[i].Fit(current);
                fitted.Add(t);
                if (i == _estimators.Length - 1) break;
                current = t.Transform(current);
                if (_needCacheAfter[i])
                {
                    var cached = new CacheDataView(current);
                    caches.Add(cached);
                    current = cached;
                }
            }
        }
        catch
        {
            foreach (var t in fitted) (t as IDisposable)?.Dispose();
            throw;
        }
        finally
        {
            foreach (var c in caches) c.Dispose();
        }
        return new TransformerChain<TLastTransformer>(fitted, _scopes);
    }
}
