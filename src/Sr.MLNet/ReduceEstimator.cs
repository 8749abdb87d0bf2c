using Microsoft.ML;
using Sr.MLNet.Mappings;
using Sr.Models;
using Sr.Models.Networks;
using Sr.Models.Onnx;
using Sr.Models.Registry;
using Sr.Models.Training;

namespace Sr.MLNet;

/// <summary>
/// <c>mlContext.Transforms.Reduce(…)</c>: RSRNet's learned down-scaler (RRNet with its Q-BReLU) from a trained <c>rsrnet</c> model
/// file, as <c>sr reduce</c> runs it: Y planes (SrImage) → LR planes of 1/scale the size. Like SuperResolve it is saved as an
/// ONNX model inside ML.NET's OnnxTransformer. Train the rsrnet with <c>SuperResolve(new SuperResolveOptions { Model = "rsrnet",
/// SaveModelFile = "rsrnet.srm" })</c> or <c>sr train --model rsrnet</c>.
/// </summary>
public sealed class ReduceEstimator : IEstimator<ITransformer>
{
    private readonly TransformsCatalog _catalog;

    internal ReduceEstimator(TransformsCatalog catalog, string outputColumnName, string inputColumnName, string model, int scale)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        SrTypes.Register();
        _catalog = catalog;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Model = model;
        Scale = scale;
    }

    public string OutputColumnName { get; }

    public string InputColumnName { get; }

    /// <summary>The trained rsrnet model file (.srm).</summary>
    public string Model { get; }

    public int Scale { get; }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShapes.Require(inputSchema, InputColumnName, "Reduce", SrImageDataViewType.Instance);
        return SchemaShapes.With(_catalog, inputSchema, OutputColumnName, image: false);
    }

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaShapes.Require(input.Schema, InputColumnName, "Reduce", SrImageDataViewType.Instance);
        using var file = ModelFile.Read(Model);
        if (file.Scale != Scale) throw new ArgumentException($"{Model}: holds a ×{file.Scale} model, but ×{Scale} was asked for.");
        using var network = file.CreateNetwork(ModelRegistry.Get(file.ModelName));
        if (network is not RsrNet rsrnet)
            throw new ArgumentException($"{Model}: holds a '{file.ModelName}' network; Reduce needs a trained 'rsrnet' (RRNet + SRNet).");
        rsrnet.eval();
        var onnx = OnnxExporter.ExportReducer(rsrnet, OnnxLayout.Flat);
        return SuperResolveEstimator.Build(_catalog, input, onnx, ColorSpace.Y, planes: true, InputColumnName, OutputColumnName, threads: null);
    }
}
