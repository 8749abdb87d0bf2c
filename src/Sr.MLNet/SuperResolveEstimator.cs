using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Sr.MLNet.Mappings;
using Sr.Models;
using Sr.Models.Inference;
using Sr.Models.Networks;
using Sr.Models.Networks.Spsr;
using Sr.Models.Onnx;
using Sr.Models.Registry;
using Sr.Models.Spsr;
using Sr.Models.Training;
using Sr.Models.Upscaling;
using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// <c>mlContext.Transforms.SuperResolve(...)</c>: upscales an image column with a network — the embedded default, a trained model
/// file, or a registered network that <see cref="Fit"/> trains on the (LR, HR) rows with the paper's recipe.
/// <para>
/// The fitted transformer is a chain of ML.NET's own transforms with the network inside ML.NET's <see cref="OnnxTransformer"/>
/// (exported with <see cref="OnnxExporter"/>, flat layout), so <c>mlContext.Model.Save</c> writes a genuine ML.NET zip that holds
/// the weights, and <c>mlContext.Model.Load</c> reads it back in another process (after
/// <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(SrImage).Assembly)</c>) with no SrMlNet code of its own involved.
/// </para>
/// <remarks>
/// | Estimator Characteristics | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Only when <see cref="SuperResolveOptions.Model"/> names a network to train |
/// | Input column data type | <see cref="SrImage"/> (Y or RGB planes) or ML.NET's Image (MLImage) |
/// | Output column data type | the input's type, s·h × s·w |
/// | Exportable to ONNX | The network is ONNX inside the model |
/// </remarks>
/// </summary>
public sealed class SuperResolveEstimator : IEstimator<ITransformer>
{
    private readonly TransformsCatalog _catalog;

    internal SuperResolveEstimator(TransformsCatalog catalog, SuperResolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Scale, 2);
        SrTypes.Register();
        _catalog = catalog;
        Options = options;
    }

    public SuperResolveOptions Options { get; }

    /// <summary>Whether <see cref="Fit"/> trains (the model is a registered network name) rather than wraps a trained model.</summary>
    public bool Trains => ModelRegistry.TryGet(Options.Model, out _) && !File.Exists(Options.Model);

    /// <summary>The last <see cref="Fit"/>'s training result (steps, time, loss), null when it did not train.</summary>
    public TrainingResult? LastTraining { get; private set; }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaShapes.Require(inputSchema, Options.InputColumnName, "SuperResolve", SrImageDataViewType.Instance, SchemaShapes.Image);
        if (Trains) SchemaShapes.Require(inputSchema, Options.LabelColumnName, "SuperResolve (training label)", SrImageDataViewType.Instance);
        return SchemaShapes.With(_catalog, inputSchema, Options.OutputColumnName, image: input.ItemType is not SrImageDataViewType);
    }

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var inputType = SchemaShapes.Require(input.Schema, Options.InputColumnName, "SuperResolve", SrImageDataViewType.Instance, SchemaShapes.Image);
        byte[] onnx;
        ColorSpace colorSpace;
        if (Trains)
        {
            SchemaShapes.Require(input.Schema, Options.InputColumnName, "SuperResolve (training input)", SrImageDataViewType.Instance);
            SchemaShapes.Require(input.Schema, Options.LabelColumnName, "SuperResolve (training label)", SrImageDataViewType.Instance);
            using var network = PipelineTraining.Train(input, Options, out var result);
            LastTraining = result;
            if (Options.SaveModelFile is { } path) ModelFile.Save(path, network, Options.Model, Options.NetworkOptions);
            onnx = OnnxExporter.Export(network, OnnxLayout.Flat);
            colorSpace = network.ColorSpace;
        }
        else
        {
            LastTraining = null;
            (onnx, colorSpace) = TrainedModel(Options.Model, Options.Scale);
        }
        return Build(_catalog, input, onnx, colorSpace, inputType is SrImageDataViewType, Options.InputColumnName, Options.OutputColumnName, Options.Threads);
    }

    /// <summary>The flat ONNX network of a trained model: "default", a .srm file, or a flat-layout .onnx file.</summary>
    internal static (byte[] onnx, ColorSpace colorSpace) TrainedModel(string model, int scale)
    {
        if (string.Equals(Path.GetExtension(model), ".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var info = OnnxModelInfo.Read(model);
            if (info.Layout != OnnxLayout.Flat)
                throw new ArgumentException($"{model}: an ONNX model in the {info.Layout} layout; SuperResolve needs the flat layout (`sr export --layout flat`).");
            if (info.Scale != scale) throw new ArgumentException($"{model}: holds a ×{info.Scale} model, but ×{scale} was asked for.");
            return (File.ReadAllBytes(model), info.ColorSpace);
        }
        if (ModelRegistry.TryGet(model, out var untrained) && !File.Exists(model))
            throw new ArgumentException($"'{untrained.Name}' is a network to train, not a trained model.");
        using var resolver = ModelLoader.Load(model, scale) as NetworkSuperResolver
            ?? throw new ArgumentException($"'{model}' is not a network SuperResolve can run (use \"default\", a .srm file or a flat .onnx file).");
        return (OnnxExporter.Export(resolver.Network, OnnxLayout.Flat), resolver.Network.ColorSpace);
    }

    /// <summary>The transformer chain around the flat ONNX network.</summary>
    internal static ITransformer Build(TransformsCatalog catalog, IDataView input, byte[] onnx, ColorSpace colorSpace, bool planes,
        string inputColumnName, string outputColumnName, int? threads)
    {
        var onnxStep = catalog.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = OnnxFiles.Cache(onnx),
            InputColumns = [SrColumns.Pixels, SrColumns.Hw],
            OutputColumns = [SrColumns.Out, SrColumns.OutHw],
            IntraOpNumThreads = threads ?? OnnxSuperResolver.DefaultThreads,
            InterOpNumThreads = 1,
        });
        int channels = colorSpace == ColorSpace.Y ? 1 : 3;
        IEstimator<ITransformer>[] core = planes
            ?
            [
                catalog.CustomMapping(new ToFlatMapping().GetMapping(), ToFlatMapping.Contract),
                onnxStep,
                catalog.CustomMapping(new FromFlatMapping().GetMapping(), FromFlatMapping.Contract),
            ]
            :
            [
                colorSpace == ColorSpace.Y
                    ? catalog.CustomMapping(new PhotoToFlatYMapping().GetMapping(), PhotoToFlatYMapping.Contract)
                    : catalog.CustomMapping(new PhotoToFlatRgbMapping().GetMapping(), PhotoToFlatRgbMapping.Contract),
                onnxStep,
                catalog.CustomMapping(new FlatToPhotoMapping().GetMapping(), FlatToPhotoMapping.Contract),
            ];
        string? config = planes ? StepConfig.Format(("channels", channels)) : null;
        return SrStepEstimator.FitEach(SrStepEstimator.Chain(catalog, [(SrColumns.Input, inputColumnName)], config, core, outputColumnName,
            [SrColumns.Pixels, SrColumns.Hw, SrColumns.Out, SrColumns.OutHw]), input);
    }
}

/// <summary>
/// ONNX models as files for ML.NET's OnnxTransformer, which reads its model from a path (and, when the model is saved, from that
/// path again): content-addressed files in the temporary folder, written once through a temporary file and a rename.
/// </summary>
internal static class OnnxFiles
{
    public static string Cache(byte[] onnx)
    {
        var folder = Path.Combine(Path.GetTempPath(), "srmlnet-onnx");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Convert.ToHexString(SHA256.HashData(onnx)).ToLowerInvariant() + ".onnx");
        if (File.Exists(path) && new FileInfo(path).Length == onnx.Length) return path;
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, onnx);
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
