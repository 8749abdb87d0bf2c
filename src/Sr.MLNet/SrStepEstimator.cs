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
    private readonly string _contract;
    private readonly Func<TransformsCatalog, IEstimator<ITransformer>> _mapping;
    private readonly (string column, string working, DataViewType[] accepted)[] _inputs;
    private readonly string? _config;

    internal SrStepEstimator(TransformsCatalog catalog, string step, string outputColumnName, DataViewType outputType,
        (string column, string working, DataViewType[] accepted)[] inputs, string contract,
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
        _contract = contract;
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
        return SchemaShapes.With(inputSchema, (OutputColumnName, OutputType));
    }

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var (column, _, accepted) in _inputs) SchemaShapes.Require(input.Schema, column, Step, accepted);
        return Chain(_catalog, _inputs.Select(i => (i.working, i.column)), _config, _mapping(_catalog), OutputColumnName, []).Fit(input);
    }

    /// <summary>
    /// copy inputs → [anchor → config] → <paramref name="core"/> → copy <see cref="SrColumns.Output"/> to the output → drop working columns.
    /// </summary>
    internal static EstimatorChain<ITransformer> Chain(TransformsCatalog catalog, IEnumerable<(string working, string column)> inputs, string? config,
        IEstimator<ITransformer> core, string outputColumnName, string[] coreTemporaries)
    {
        var pairs = inputs.Select(i => new InputOutputColumnPair(i.working, i.column)).ToArray();
        var result = new EstimatorChain<ITransformer>().Append(catalog.CopyColumns(pairs));
        var dropped = pairs.Select(p => p.OutputColumnName).Concat(coreTemporaries).Append(SrColumns.Output).ToList();
        if (config is not null)
        {
            dropped.AddRange([SrColumns.Anchor, SrColumns.Config]);
            result = result.Append(catalog.CustomMapping(new AnchorMapping().GetMapping(), AnchorMapping.Contract))
                .Append(catalog.Expression(SrColumns.Config, $"(x) => \"{config}\"", SrColumns.Anchor));
        }
        return result.Append(core)
            .Append(catalog.CopyColumns(outputColumnName, SrColumns.Output))
            .Append(catalog.DropColumns(dropped.Distinct().ToArray()));
    }

    public override string ToString() => $"{Step} → '{OutputColumnName}'{(_config is null ? "" : $" ({_config})")}";
}
