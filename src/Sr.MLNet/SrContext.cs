using Sr.Torch;

namespace Sr.MLNet;

/// <summary>
/// The entry point of SrMlNet pipelines (ML.NET's <c>MLContext</c>): catalogs of data operations, transforms, model
/// files and super-resolution evaluation, a component catalog for loading saved transformers, and the seed every
/// random step derives from.
/// </summary>
public sealed class SrContext
{
    /// <param name="seed">The seed of every random choice (shuffles, splits, degradation noise, training); null: a fixed default (1), as ML.NET's TorchSharp trainers do.</param>
    public SrContext(int? seed = null)
    {
        Seed = seed;
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        Model = new ModelOperationsCatalog(this);
        SuperResolution = new SuperResolutionCatalog(this);
        ComponentCatalog = new ComponentCatalog();
        ComponentCatalog.Register("TransformerChain", TransformerChain<ITransformer>.Create);
    }

    public int? Seed { get; }

    /// <summary>The seed to use when a call gives none.</summary>
    public int EffectiveSeed => Seed ?? 1;

    public DataOperationsCatalog Data { get; }

    public TransformsCatalog Transforms { get; }

    public ModelOperationsCatalog Model { get; }

    /// <summary>Training and evaluation of SR models (ML.NET's task catalogs, e.g. <c>mlContext.Regression</c>).</summary>
    public SuperResolutionCatalog SuperResolution { get; }

    public ComponentCatalog ComponentCatalog { get; }

    /// <summary>Threads libtorch uses for this process (it defaults to 1 here); null leaves it alone.</summary>
    public static void SetThreads(int threads) => torch.set_num_threads(threads);
}
