using System.Text.Json.Nodes;
using Sr.Models;
using Sr.Models.Spsr;
using Sr.Models.Registry;
using Sr.Models.Training;

namespace Sr.MLNet;

/// <summary>The settings of <see cref="SuperResolveEstimator"/> (<c>mlContext.Transforms.SuperResolve(options)</c>).</summary>
public sealed class SuperResolveOptions
{
    /// <summary>The column the upscaled images go to. Default "SR".</summary>
    public string OutputColumnName { get; set; } = "SR";

    /// <summary>
    /// The images to upscale: an <see cref="SrImage"/> column (Y or RGB planes from ConvertToYCbCr / Degrade) or ML.NET's own image
    /// column (MLImage, from LoadImages: then a Y network runs on the picture's Y and its chroma is upscaled with MATLAB bicubic,
    /// as <c>sr upscale</c> does). When training, the LR images (SrImage). Default "LR".
    /// </summary>
    public string InputColumnName { get; set; } = "LR";

    /// <summary>The HR images (SrImage) training reads; not used when <see cref="Model"/> is a trained model. Default "HR".</summary>
    public string LabelColumnName { get; set; } = "HR";

    /// <summary>
    /// What upscales: "default" (the embedded default model), a trained model file (.srm, or a flat-layout .onnx from
    /// <c>sr export --layout flat</c>), or a registered network name ("rsrnet-sr", "btsrn", … see <c>sr models</c>), which
    /// <see cref="SuperResolveEstimator.Fit"/> then trains on the (LR, HR) rows. Default "default".
    /// </summary>
    public string Model { get; set; } = "default";

    /// <summary>The upscaling factor. Default <see cref="SrDefaults.Scale"/>.</summary>
    public int Scale { get; set; } = SrDefaults.Scale;

    /// <summary>Training: the network's options (the registry's JSON names), null for the paper's.</summary>
    public JsonObject? NetworkOptions { get; set; }

    /// <summary>Training: the recipe; null for the paper's (<c>ModelRegistry</c>).</summary>
    public TrainingRecipe? Recipe { get; set; }

    /// <summary>Training: stop after this many steps. With neither this nor <see cref="MaxDuration"/>, the recipe's step count.</summary>
    public long? MaxSteps { get; set; }

    /// <summary>Training: stop after this much wall-clock time.</summary>
    public TimeSpan? MaxDuration { get; set; }

    /// <summary>Training: the batch size; null for the recipe's.</summary>
    public int? BatchSize { get; set; }

    /// <summary>
    /// Training: the HR patch side; null for the recipe's, capped by the smallest training image. Patches are cut at random from
    /// the (LR, HR) rows by the training engine's sampler inside <see cref="SuperResolveEstimator.Fit"/> (with the recipe's
    /// flips and rotations), so the pipeline keeps one row per image and the fitted model upscales whole images.
    /// </summary>
    public int? HrPatchSize { get; set; }

    /// <summary>Training: the seed of initialisation and sampling. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Training: a model file (.srm) whose weights start training (fine-tuning; for SPSR an rrdbnet by name and shape).</summary>
    public string? InitialWeights { get; set; }

    /// <summary>Training SPSR (spsr-g/-p/-j): its GAN settings; null for <see cref="SpsrModels.TrainingOptions"/>' (needs VGG19 weights).</summary>
    public SpsrOptions? Spsr { get; set; }

    /// <summary>Training: also write the trained network as an SrMlNet model file (.srm) here.</summary>
    public string? SaveModelFile { get; set; }

    /// <summary>ONNX Runtime's intra-op threads for inference; null: SR_NUM_THREADS, else every core.</summary>
    public int? Threads { get; set; }

    /// <summary>Training progress (steps, loss, speed), every log interval, to a callback.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>
    /// Where training logs its progress ML.NET's way: set it to the <c>MLContext</c> (<c>Log = mlContext</c>, an
    /// <see cref="Microsoft.ML.Runtime.IChannelProvider"/>) and every log interval and the end of training arrive as Info messages
    /// from source "SrMlNet.SuperResolve" on <c>mlContext.Log</c>. (A catalog extension cannot reach the context behind
    /// <c>mlContext.Transforms</c> with public API, hence the option.)
    /// </summary>
    public Microsoft.ML.Runtime.IChannelProvider? Log { get; set; }

    /// <summary>Cancels training (the fit then throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }
}
