using Microsoft.ML;
using Microsoft.ML.Data;
using Sr.MLNet.Mappings;

namespace Sr.MLNet;

/// <summary>
/// One of SrMlNet's stateless pipeline steps (ConvertToYCbCr, ConvertToRgb, ModCrop, Degrade) as an ML.NET estimator. Its
/// <see cref="Fit"/> returns a <see cref="TransformerChain{ITransformer}"/> of ML.NET's own saveable transforms: the input copied
/// to SrMlNet's working column, the step's settings as a constant column (ML.NET's <c>Expression</c>), one SrMlNet
/// <c>CustomMapping</c>, the result copied to the output column and the working columns dropped. So the step saves into, and
/// loads from, a genuine ML.NET zip with public API only.
/// </summary>
public sealed class SrStepEstimator : IEstimator<ITransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly Func<TransformsCatalog, IEstimator<ITransformer>> _mapping;
    private readonly (string column, string working, DataViewType[] accepted)[] _inputs;
    private readonly string? _config;

    internal SrStepEstimator(TransformsCatalog catalog, string step, string outputColumnName, DataViewType outputType,
        (string column, string working, DataViewType[] accepted)[] inputs,
        Func<TransformsCatalog, IEstimator<ITransformer>> mapping, string? config = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        foreach (var (column, _, _) in inputs) ArgumentException.ThrowIfNullOrWhiteSpace(column);
        SrTypes.Register();
        _catalog = catalog;
        Step = step;
        OutputColumnName = outputColumnName;
        OutputType = outputType;
        _inputs = inputs;
        _mapping = mapping;
        _config = config;
    }

    /// <summary>The step's name as in the catalog ("ModCrop", …).</summary>
    public string Step { get; }

    public string OutputColumnName { get; }

    /// <summary>The output column's type: <see cref="SrImageDataViewType"/> or ML.NET's image type.</summary>
    public DataViewType OutputType { get; }

    /// <summary>The settings the step saves with the model (<c>scale=3;kind=bicubic;seed=1</c>), or null.</summary>
    public string? Settings => _config;

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var (column, _, accepted) in _inputs) SchemaShapes.Require(inputSchema, column, Step, accepted);
        return SchemaShapes.With(_catalog, inputSchema, OutputColumnName, image: OutputType is not SrImageDataViewType);
    }

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var (column, _, accepted) in _inputs) SchemaShapes.Require(input.Schema, column, Step, accepted);
        return FitEach(Chain(_catalog, _inputs.Select(i => (i.working, i.column)), _config, [_mapping(_catalog)], OutputColumnName, []), input);
    }

    /// <summary>
    /// copy inputs → [anchor → config] → <paramref name="core"/> → copy <see cref="SrColumns.Output"/> to the output → drop working columns.
    /// </summary>
    internal static List<IEstimator<ITransformer>> Chain(TransformsCatalog catalog, IEnumerable<(string working, string column)> inputs, string? config,
        IEnumerable<IEstimator<ITransformer>> core, string outputColumnName, string[] coreTemporaries)
    {
        var result = new List<IEstimator<ITransformer>>();
        var dropped = new List<string>(coreTemporaries) { SrColumns.Output };
        foreach (var (working, column) in inputs)
        {
            result.Add(catalog.CopyColumns(working, column));
            dropped.Add(working);
        }
        if (config is not null)
        {
            dropped.AddRange([SrColumns.Anchor, SrColumns.Config]);
            result.Add(catalog.CustomMapping(new AnchorMapping().GetMapping(), AnchorMapping.Contract));
            result.Add(catalog.Expression(SrColumns.Config, $"(x) => \"{config}\"", SrColumns.Anchor));
        }
        result.AddRange(core);
        result.Add(catalog.CopyColumns(outputColumnName, SrColumns.Output));
        result.Add(catalog.DropColumns(dropped.Distinct().ToArray()));
        return result;
    }

    /// <summary>
    /// Fits the estimators one by one on the data each transformer makes, into a <see cref="TransformerChain{ITransformer}"/>.
    /// ML.NET's <c>EstimatorChain.Fit</c> first checks the whole chain's schema shapes, and ML.NET 5's CustomMapping compares image
    /// column types by reference there ("expected Image, got Image" after LoadImages; measured), while fitting and transforming
    /// check them properly.
    /// </summary>
    internal static TransformerChain<ITransformer> FitEach(IEnumerable<IEstimator<ITransformer>> estimators, IDataView input)
    {
        var transformers = new List<ITransformer>();
        var data = input;
        foreach (var estimator in estimators)
        {
            var transformer = estimator.Fit(data);
            transformers.Add(transformer);
            data = transformer.Transform(data);
        }
        return new TransformerChain<ITransformer>(transformers.ToArray());
    }

    public override string ToString() => $"{Step} → '{OutputColumnName}'{(_config is null ? "" : $" ({_config})")}";
}
