// Perceptual loss network (Johnson et al. 2016; ESRGAN/SPSR "VGG19 conv5_4 before ReLU"): torchvision's vgg19
// features[:35] with ImageNet normalisation, as upstream's VGGFeatureExtractor (Maclory/SPSR architecture.py).
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Losses;

/// <summary>
/// VGG19 (no BN) convolution stack up to index 34 = conv5_4 before its ReLU, in torchvision's layout (<c>features.N.weight</c>),
/// on RGB [0,1] input normalised by ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225). Frozen: every
/// parameter has requires_grad = false and the module stays in eval mode. Its weights cannot be downloaded here: load them
/// from a torchvision <c>vgg19</c> state dict the user provides (<see cref="LoadTorchvision"/>); a new instance has random
/// weights (used by tests only).
/// </summary>
public sealed class Vgg19FeatureExtractor : nn.Module<Tensor, Tensor>
{
    /// <summary>torchvision's file name for the ImageNet VGG19 weights (https://download.pytorch.org/models/vgg19-dcbb9e9d.pth).</summary>
    public const string TorchvisionFileName = "vgg19-dcbb9e9d.pth";

    /// <summary>Index of conv5_4 in torchvision's <c>vgg19().features</c>; upstream uses features[:35], i.e. up to it, before its ReLU.</summary>
    public const int Conv54Index = 34;

    private static readonly int[] Config = [64, 64, -1, 128, 128, -1, 256, 256, 256, 256, -1, 512, 512, 512, 512, -1, 512, 512, 512, 512];

    private readonly nn.Sequential features;

    public Vgg19FeatureExtractor(int lastLayer = Conv54Index) : base("VGGFeatureExtractor")
    {
        features = new nn.Sequential(Array.Empty<nn.Module<Tensor, Tensor>>());
        long inCh = 3;
        foreach (int c in Config)
        {
            if (features.Count > lastLayer) break;
            if (c < 0) { features.append(nn.MaxPool2d(2, 2)); continue; }
            features.append(new nn.Conv2d(inCh, c, 3, padding: 1));
            if (features.Count <= lastLayer) features.append(nn.ReLU());
            inCh = c;
        }
        register_buffer("mean", tensor(new float[] { 0.485f, 0.456f, 0.406f }, [1, 3, 1, 1]), persistent: false);
        register_buffer("std", tensor(new float[] { 0.229f, 0.224f, 0.225f }, [1, 3, 1, 1]), persistent: false);
        RegisterComponents();
        foreach (var p in parameters()) p.requires_grad = false;
        eval();
    }

    /// <summary>Stays in eval mode (VGG19 has no BN or dropout in features, but the extractor is never trained).</summary>
    public override nn.Module train(bool on = true) => base.train(false);

    public override Tensor forward(Tensor rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.dim() != 4 || rgb.size(1) != 3) throw new ArgumentException($"VGG19 expects N×3×H×W RGB in [0,1], got [{string.Join(", ", rgb.shape)}].", nameof(rgb));
        using var scope = NewDisposeScope();
        var b = named_buffers(false).ToDictionary(x => x.name, x => x.buffer);
        var x = rgb.sub(b["mean"]).div(b["std"]);
        return features.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Copies the <c>features.N.weight/bias</c> entries of a torchvision <c>vgg19</c> state dict (other keys, e.g. the
    /// classifier, are ignored). <paramref name="source"/> names the file in error messages.
    /// </summary>
    public void LoadTorchvision(IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var own = state_dict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"'{source}' is not a torchvision vgg19 state dict: it lacks {string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? ", …" : "")}.");
        load_state_dict(own.Keys.ToDictionary(k => k, k => stateDict[k]), strict: true);
    }

    /// <summary>Where SrMlNet looks for the VGG19 weights when no path is given: $SRMLNET_VGG19, else ~/.cache/srmlnet/vgg19-dcbb9e9d.pth.</summary>
    public static string DefaultWeightsPath =>
        Environment.GetEnvironmentVariable("SRMLNET_VGG19") is { Length: > 0 } env ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "srmlnet", TorchvisionFileName);

    /// <summary>The message of the error raised when the perceptual loss is on but the VGG19 weights are not there.</summary>
    public static string MissingWeightsMessage(string path) =>
        $"The perceptual loss needs torchvision's ImageNet VGG19 weights ('{TorchvisionFileName}', the state dict of " +
        $"torchvision.models.vgg19(weights='IMAGENET1K_V1'), from https://download.pytorch.org/models/{TorchvisionFileName}), " +
        $"and they cannot be downloaded here. Put the file at '{path}' (or set SRMLNET_VGG19 / the Vgg19WeightsPath option to its path), " +
        "or set the perceptual-loss weight to 0 to train without it.";

    /// <summary>
    /// Builds the extractor from torchvision's <c>vgg19</c> state dict at <paramref name="path"/> (default
    /// <see cref="DefaultWeightsPath"/>): a PyTorch <c>.pth/.pt</c> file, or the same tensors as <c>.safetensors</c>.
    /// </summary>
    public static Vgg19FeatureExtractor Load(string? path = null) =>
        Load(path, p => p.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? Sr.Torch.Serialization.Safetensors.LoadStateDict(p)
            : Sr.Torch.Serialization.PyTorchUnpickler.UnpickleStateDict(p));

    /// <summary>
    /// Builds the extractor from the weights file at <paramref name="path"/> (default <see cref="DefaultWeightsPath"/>), read by
    /// <paramref name="readStateDict"/> (the PyTorch .pth / safetensors reader). Throws <see cref="FileNotFoundException"/>
    /// with <see cref="MissingWeightsMessage"/> when the file is absent: perceptual training never starts without it.
    /// </summary>
    public static Vgg19FeatureExtractor Load(string? path, Func<string, IReadOnlyDictionary<string, Tensor>> readStateDict)
    {
        ArgumentNullException.ThrowIfNull(readStateDict);
        path ??= DefaultWeightsPath;
        if (!File.Exists(path)) throw new FileNotFoundException(MissingWeightsMessage(path), path);
        var dict = readStateDict(path);
        var vgg = new Vgg19FeatureExtractor();
        try
        {
            vgg.LoadTorchvision(dict, path);
            return vgg;
        }
        catch
        {
            vgg.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in dict.Values) t.Dispose();
        }
    }
}
