namespace Sr.MLNet;

/// <summary>
/// An estimator whose transformer belongs to part of the lifecycle by nature (patch extraction: training only). When it
/// is appended with the default <see cref="TransformerScope.Everything"/>, the chain uses <see cref="DefaultScope"/>;
/// an explicit scope given to <c>Append</c> wins.
/// </summary>
public interface IScopedEstimator
{
    TransformerScope DefaultScope { get; }
}
