using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.Models.Upscaling;

/// <summary>
/// RSRNet's learned down-scaler (RRNet, Cai et al. Fig. 4) on whole pictures, the counterpart of <see cref="ImageUpscaler"/>:
/// the picture is mod-cropped to the scale (bottom/right, as the evaluator does), a Y-channel reducer runs on Y and Cb/Cr
/// are reduced with MATLAB bicubic (the same split as upscaling), gray stays gray, alpha is reduced with bicubic.
/// </summary>
/// <remarks>
/// Bicubic chroma is our choice: the paper trains and shows RRNet on Y only and says nothing of colour. The network's
/// output is already quantised to 8-bit levels by its Q-BReLU, so a saved PNG is exactly what the network made.
/// </remarks>
public static class ImageReducer
{
    /// <summary>
    /// The trained reducing network in the model file <paramref name="spec"/>, checked against <paramref name="scale"/> when given.
    /// A registry name, "default" or a file holding a network without a learned down-scaler is refused with a message saying why.
    /// </summary>
    public static SrNetwork Load(string spec, int? scale = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (!File.Exists(spec))
        {
            if (string.Equals(spec, DefaultModel.Name, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("the default model is an SRNet alone and has no learned down-scaler: give a trained rsrnet model file (.srm).");
            if (ModelRegistry.TryGet(spec, out var named))
                throw new ArgumentException($"'{named.Name}' names a network architecture, not trained weights, and a down-scaler needs trained weights: " +
                    $"train one with `sr train --model rsrnet --scale {scale ?? 2} --data <folder> -o rsrnet-x{scale ?? 2}{ModelFile.Extension}` and pass that file to --model.");
            throw new FileNotFoundException($"{spec}: model file not found.", spec);
        }
        if (!string.Equals(Path.GetExtension(spec), ModelFile.Extension, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{spec}: not an SrMlNet model file ({ModelFile.Extension}); reducing needs a trained rsrnet model file.");
        using var file = ModelFile.Read(spec);
        if (scale is int s && s != file.Scale)
            throw new ArgumentException($"{spec}: holds a ×{file.Scale} model, but ×{s} was asked for.");
        if (!ModelRegistry.TryGet(file.ModelName, out var info))
            throw new ArgumentException($"{spec}: holds a '{file.ModelName}' network, which this SrMlNet does not know.");
        var network = file.CreateNetwork(info);
        if (network is not IReducingNetwork)
        {
            network.Dispose();
            throw new ArgumentException($"{spec}: holds a '{file.ModelName}' network, which cannot reduce: only rsrnet models have a learned down-scaler (RRNet).");
        }
        return network;
    }

    /// <summary>
    /// Reduces <paramref name="x"/> (1×C×H×W in [0,1], C = 1 gray, 2 gray+alpha, 3 RGB or 4 RGBA) with <paramref name="network"/>
    /// (an <see cref="IReducingNetwork"/>): returns 1×C×⌊H/s⌋×⌊W/s⌋ in [0,1].
    /// </summary>
    public static Tensor Reduce(Tensor x, SrNetwork network)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(network);
        if (network is not IReducingNetwork reducer) throw new ArgumentException($"Network '{network.GetName}' has no learned down-scaler (it is not an IReducingNetwork).", nameof(network));
        if (x.dim() != 4 || x.shape[0] != 1 || x.shape[1] is < 1 or > 4)
            throw new ArgumentException($"Expected a 1×C×H×W image with C = 1..4, got [{string.Join("×", x.shape)}].", nameof(x));
        int scale = network.Scale;
        using var scope = torch.NewDisposeScope();
        using var mode = torch.inference_mode();
        var hr = ImageTensor.ModCrop(x, scale);
        long c = hr.shape[1];
        bool hasAlpha = c is 2 or 4;
        var color = hasAlpha ? hr.narrow(1, 0, c - 1) : hr;
        Tensor lr;
        if (network.ColorSpace == ColorSpace.Rgb)
        {
            lr = color.shape[1] == 3 ? reducer.Reduce(color)
                : reducer.Reduce(color.expand(1, 3, color.shape[2], color.shape[3]).contiguous()).mean([1], keepdim: true);
        }
        else if (color.shape[1] == 1)
        {
            lr = reducer.Reduce(color);
        }
        else
        {
            var ycbcr = ColorConversion.RgbToYCbCr(color);
            var y = reducer.Reduce(ycbcr.narrow(1, 0, 1).contiguous());
            var cbcr = MatlabResize.Downscale(ycbcr.narrow(1, 1, 2), scale);
            lr = ColorConversion.YCbCrToRgb(torch.cat([y, cbcr], 1)).clamp(0, 1);
        }
        if (hasAlpha) lr = torch.cat([lr, MatlabResize.Downscale(hr.narrow(1, c - 1, 1), scale).clamp(0, 1)], 1);
        return lr.clone().MoveToOuterDisposeScope();
    }
}
