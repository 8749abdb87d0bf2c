namespace Sr.MLNet;

/// <summary><c>Append</c> on single estimators and transformers (ML.NET's <c>LearningPipelineExtensions</c>).</summary>
public static class LearningPipelineExtensions
{
    /// <summary>Starts a chain: <paramref name="start"/> then <paramref name="estimator"/>.</summary>
    public static EstimatorChain<TTrans> Append<TTrans>(this IEstimator<ITransformer> start, IEstimator<TTrans> estimator,
        TransformerScope scope = TransformerScope.Everything) where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        return new EstimatorChain<ITransformer>().Append(start).Append(estimator, scope);
    }

    public static EstimatorChain<ITransformer> AppendCacheCheckpoint(this IEstimator<ITransformer> start, SrContext env)
    {
        ArgumentNullException.ThrowIfNull(start);
        return new EstimatorChain<ITransformer>().Append(start).AppendCacheCheckpoint(env);
    }

    public static TransformerChain<TTrans> Append<TTrans>(this ITransformer start, TTrans transformer) where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        return new TransformerChain<ITransformer>(start).Append(transformer);
    }
}
