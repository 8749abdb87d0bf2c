using System.Diagnostics;
using Sr.Models.Imaging;
using Sr.Models.Metrics;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Evaluation;

/// <summary>
/// Measures any <see cref="ISuperResolver"/> under an <see cref="EvalProtocol"/> — the one code path for the CLI, the tests
/// and the pipeline, so they report identical numbers. Per image (the procedure that reproduces the published bicubic
/// baselines, ../shared/research/bicubic-baseline-protocol.md):
/// <list type="number">
/// <item>HR on uint8 levels; mod-crop to the scale.</item>
/// <item>A Y method gets Y = round(rgb2ycbcr(HR)) (gray images as they are); an RGB method gets RGB (gray replicated).</item>
/// <item>LR = degradation(input) in float, not rounded (bicubic: MATLAB imresize 1/s, antialiased, symmetric border).</item>
/// <item>SR = method.Upscale(LR), then rounded and clipped to uint8 levels.</item>
/// <item>Y protocol: an RGB output is converted to Y (rounded, as MATLAB on the saved PNG). RGB protocol with a Y method:
/// Cb and Cr are degraded and upscaled with bicubic and recombined with the method's Y (SRCNN's colour output).</item>
/// <item>Shave, then PSNR and SSIM on the 0..255 scale.</item>
/// </list>
/// Gray images (Set14's bridge) are measured on their one channel: an RGB method gets the gray replicated and its output
/// is reduced to the mean of its channels (rounded) — a choice: the papers' MATLAB scripts only say "use gray as is".
/// </summary>
public sealed partial class SrEvaluator
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".ppm", ".pgm", ".pnm", ".pbm", ".webp" };

    public SrEvaluator(EvalProtocol? protocol = null, IDegradation? degradation = null, long seed = 0)
    {
        Protocol = protocol ?? EvalProtocol.Default;
        Degradation = degradation ?? ResizeDegradation.Bicubic;
        Seed = seed;
    }

    public EvalProtocol Protocol { get; }
    public IDegradation Degradation { get; }

    /// <summary>Seed of the degradation (noise); image i of a folder uses Seed + i.</summary>
    public long Seed { get; }

    /// <summary>
    /// Called after each image with its ground truth, bicubic view and output (see <see cref="EvaluatedImage"/>), so that a
    /// report can show pictures without running the method again. Null (the default) costs nothing.
    /// </summary>
    public Action<EvaluatedImage>? ImageObserver { get; init; }

    /// <summary>
    /// When set, every image is also measured with LPIPS (Zhang et al. 2018, AlexNet-lin v0.1, SPSR's headline metric): the
    /// method's output in RGB — a Y method's Y recombined with bicubic Cb/Cr, as <c>sr upscale</c> writes it; rounded to uint8
    /// levels when the protocol rounds, clipped to 0..255 — against the mod-cropped RGB ground truth, both whole (the protocol's
    /// shave does not apply: SPSR's evaluate_sr_results.py compares the saved PNGs whole) and mapped to [−1, 1] as the lpips
    /// package's <c>im2tensor</c> does. A gray image is compared as its gray channel replicated to RGB on both sides (an RGB
    /// method's output reduced to gray first, as for PSNR). Null (the default): no LPIPS, and reports have no LPIPS column.
    /// </summary>
    public Losses.Lpips? Lpips { get; init; }

    /// <summary>The measurement of one image; <paramref name="Lpips"/> is NaN unless <see cref="SrEvaluator.Lpips"/> is set.</summary>
    public readonly record struct ImageScore(double Psnr, double Ssim, double Seconds, double Lpips = double.NaN);

    /// <summary>
    /// Degrades, upscales and measures one HR image: <paramref name="hr"/> is 1×C×H×W (C = 1 gray or 3 RGB) on uint8
    /// levels in [0,1], any size (it is mod-cropped here).
    /// </summary>
    public ImageScore EvaluateImage(Tensor hr, ISuperResolver method, int scale, long seed = 0) => EvaluateImage(hr, method, scale, seed, "image", 0);

    /// <summary>
    /// Upscales a given LR image (a pre-made LR file, e.g. MATLAB's uint8 <c>imresize</c> output) and measures it against
    /// <paramref name="hr"/>: both 1×C×H×W on uint8 levels in [0,1]; the LR must be the mod-cropped HR's size divided by the
    /// scale. The LR is used as given: a Y method gets its rounded Y (as MATLAB's rgb2ycbcr on uint8), an RGB method its RGB.
    /// </summary>
    public ImageScore EvaluateImage(Tensor hr, Tensor lr, ISuperResolver method, int scale) => EvaluateImage(hr, method, scale, 0, "image", 0, lr);

    private ImageScore EvaluateImage(Tensor hr, ISuperResolver method, int scale, long seed, string name, int index, Tensor? givenLr = null)
    {
        ArgumentNullException.ThrowIfNull(hr);
        ArgumentNullException.ThrowIfNull(method);
        CheckScale(method, scale);
        CheckImage(hr, nameof(hr));
        if (givenLr is not null) CheckImage(givenLr, "lr");
        using var scope = torch.NewDisposeScope();
        var hr255 = ImageTensor.ModCrop(hr, scale).to(ScalarType.Float64).mul(255).round(); // exact uint8 levels
        bool gray = hr255.shape[1] == 1;
        Tensor ToInput(Tensor x255, bool isGray) => method.ColorSpace == ColorSpace.Y
            ? (isGray ? x255 : ColorConversion.RgbToY(x255, Protocol.RoundY, peak: 255))
            : (isGray ? x255.expand(1, 3, x255.shape[2], x255.shape[3]) : x255);
        Tensor? lr255 = null;
        if (givenLr is not null)
        {
            lr255 = givenLr.to(ScalarType.Float64).mul(255).round();
            if (lr255.shape[2] * scale != hr255.shape[2] || lr255.shape[3] * scale != hr255.shape[3])
                throw new ArgumentException($"the LR image is {lr255.shape[3]}×{lr255.shape[2]}, but the HR image (mod-cropped to ×{scale}) is {hr255.shape[3]}×{hr255.shape[2]}: " +
                    $"the LR must be {hr255.shape[3] / scale}×{hr255.shape[2] / scale} (is it the LR of another scale or image?)");
            // A gray HR with an RGB LR file (or the reverse): compare like with like.
            if (gray && lr255.shape[1] == 3) lr255 = ColorConversion.RgbToY(lr255, Protocol.RoundY, peak: 255);
            else if (!gray && lr255.shape[1] == 1) lr255 = lr255.expand(1, 3, lr255.shape[2], lr255.shape[3]);
        }
        var lr = lr255 is null
            ? Degradation.Apply(ToInput(hr255, gray).div(255).to(ScalarType.Float32), scale, seed)
            : ToInput(lr255, gray).div(255).to(ScalarType.Float32);
        var sw = Stopwatch.StartNew();
        var sr = method.Upscale(lr, scale);
        sw.Stop();
        CheckOutput(sr, lr, scale, method);
        var sr255 = Output255(sr);
        if (method.ColorSpace == ColorSpace.Y && Protocol.ColorSpace == ColorSpace.Rgb && !gray)
            sr255 = RecombineChroma(hr255, sr255, scale, seed, lr255);
        var (psnr, ssim) = Score(hr255, sr255, scale);
        double lpips = Lpips is { } metric ? MeasureLpips(metric, hr255, sr255, scale, seed, lr255) : double.NaN;
        if (ImageObserver is { } observe)
        {
            var bicubic = Output255(MatlabResize.Upscale(lr, scale));
            observe(new EvaluatedImage(name, index, hr255.div(255).to(ScalarType.Float32), AsShown(bicubic, hr255, scale, seed, lr255),
                AsShown(sr255, hr255, scale, seed, lr255), psnr, ssim));
        }
        return new ImageScore(psnr, ssim, sw.Elapsed.TotalSeconds, lpips);
    }

    /// <summary>LPIPS of an output (Y, gray or RGB on the 0..255 scale) against the mod-cropped HR, as <see cref="Lpips"/> describes.</summary>
    private double MeasureLpips(Losses.Lpips metric, Tensor hr255, Tensor out255, int scale, long seed, Tensor? lr255)
    {
        bool gray = hr255.shape[1] == 1;
        var output = gray
            ? (out255.shape[1] == 3 ? out255.mean([1], keepdim: true).add(0.5).floor() : out255)
            : (out255.shape[1] == 1 ? RecombineChroma(hr255, out255, scale, seed, lr255) : out255);
        static Tensor Rgb01(Tensor x) => (x.shape[1] == 1 ? x.expand(1, 3, x.shape[2], x.shape[3]) : x).clamp(0, 255).div(255).to(ScalarType.Float32);
        using var noGrad = torch.no_grad();
        return metric.call(Rgb01(hr255), Rgb01(output)).to(ScalarType.Float64).item<double>();
    }

    /// <summary>
    /// The measuring step alone, for callers that produced the output themselves (the pipeline): <paramref name="hr255"/>
    /// is the mod-cropped HR (1 or 3 channels) and <paramref name="sr255"/> the output (Y, gray or RGB) of the same size,
    /// both on the 0..255 scale and on uint8 levels when the protocol rounds.
    /// </summary>
    public (double Psnr, double Ssim) Score(Tensor hr255, Tensor sr255, int scale)
    {
        ArgumentNullException.ThrowIfNull(hr255);
        ArgumentNullException.ThrowIfNull(sr255);
        using var scope = torch.NewDisposeScope();
        var reference = hr255.to(ScalarType.Float64);
        var output = sr255.to(ScalarType.Float64);
        if (reference.shape[1] == 1)
        {
            if (output.shape[1] == 3) output = output.mean([1], keepdim: true).add(0.5).floor(); // gray image, RGB method
        }
        else if (Protocol.ColorSpace == ColorSpace.Y)
        {
            reference = ColorConversion.RgbToY(reference, Protocol.RoundY, peak: 255);
            if (output.shape[1] == 3) output = ColorConversion.RgbToY(output, Protocol.RoundY, peak: 255);
        }
        else if (output.shape[1] != 3)
        {
            throw new ArgumentException($"Protocol {Protocol.Name} compares RGB, but the output has {output.shape[1]} channel(s).", nameof(sr255));
        }
        if (!reference.shape.Skip(2).SequenceEqual(output.shape.Skip(2)))
            throw new ArgumentException($"Output {output.shape[3]}×{output.shape[2]} differs from the HR {reference.shape[3]}×{reference.shape[2]}.", nameof(sr255));
        int shave = Protocol.ShaveFor(scale);
        long h = reference.shape[2] - 2 * shave, w = reference.shape[3] - 2 * shave;
        if (h < Ssim.WindowSize || w < Ssim.WindowSize)
            throw new ArgumentException($"After shaving {shave} px the image is {Math.Max(w, 0)}×{Math.Max(h, 0)}, smaller than the {Ssim.WindowSize}×{Ssim.WindowSize} SSIM window.");
        reference = reference.narrow(2, shave, h).narrow(3, shave, w);
        output = output.narrow(2, shave, h).narrow(3, shave, w);
        double psnr = Psnr.Compute(reference, output, peak: 255)[0];
        double ssim = Ssim.Compute(reference, output, Protocol.Ssim, peak: 255)[0];
        return (psnr, ssim);
    }

    /// <summary>
    /// Measures an output made elsewhere (the ML.NET pipeline): <paramref name="sr"/> is 1×C×H×W in [0,1] as a method returns it;
    /// it is rounded as <see cref="EvaluateImage(Tensor, ISuperResolver, int, long)"/> rounds a method's output, then
    /// <see cref="Score"/>d against <paramref name="hr255"/>.
    /// </summary>
    public (double Psnr, double Ssim) ScoreOutput(Tensor hr255, Tensor sr, int scale)
    {
        ArgumentNullException.ThrowIfNull(sr);
        using var scope = torch.NewDisposeScope();
        return Score(hr255, Output255(sr), scale);
    }

    /// <summary>An output on the 0..255 scale in the ground truth's colours, as [0,1] float32 for pictures.</summary>
    private Tensor AsShown(Tensor x255, Tensor hr255, int scale, long seed, Tensor? lr255)
    {
        bool gray = hr255.shape[1] == 1;
        if (gray && x255.shape[1] == 3) x255 = x255.mean([1], keepdim: true).add(0.5).floor();
        else if (!gray && x255.shape[1] == 1) x255 = RecombineChroma(hr255, x255, scale, seed, lr255);
        return x255.clamp(0, 255).div(255).to(ScalarType.Float32);
    }

    private Tensor Output255(Tensor sr)
    {
        var t = sr.to(ScalarType.Float64).mul(255);
        return Protocol.RoundOutput ? ImageTensor.QuantizeToUint8Levels(t, 255) : t;
    }

    /// <summary>Y with the chroma of the LR (the given LR file's, else the HR's degraded), upscaled with bicubic.</summary>
    private Tensor RecombineChroma(Tensor hr255, Tensor y255, int scale, long seed, Tensor? lr255)
    {
        Tensor lrChroma = lr255 is not null
            ? ColorConversion.RgbToYCbCr(lr255, Protocol.RoundY, peak: 255).narrow(1, 1, 2).div(255).to(ScalarType.Float32)
            : Degradation.Apply(ColorConversion.RgbToYCbCr(hr255, Protocol.RoundY, peak: 255).narrow(1, 1, 2).div(255).to(ScalarType.Float32), scale, seed);
        var up = MatlabResize.Upscale(lrChroma, scale).to(ScalarType.Float64).mul(255);
        var rgb = ColorConversion.YCbCrToRgb(torch.cat([y255, up], 1), peak: 255);
        return Protocol.RoundOutput ? ImageTensor.QuantizeToUint8Levels(rgb, 255) : rgb.clamp(0, 255);
    }

    private static void CheckScale(ISuperResolver method, int scale)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be ≥ 1.");
        if (!method.Scales.Contains(scale))
            throw new ArgumentException($"Method '{method.Name}' does not support ×{scale} (it supports {string.Join(", ", method.Scales.Select(s => "×" + s))}).", nameof(scale));
    }

    private static void CheckImage(Tensor hr, string name)
    {
        var s = hr.shape;
        if (s.Length != 4 || s[0] != 1 || s[1] is not (1 or 3))
            throw new ArgumentException($"Expected a 1×C×H×W image with C = 1 or 3, got [{string.Join("×", s)}].", name);
    }

    private static void CheckOutput(Tensor sr, Tensor lr, int scale, ISuperResolver method)
    {
        var s = sr.shape;
        var l = lr.shape;
        if (s.Length != 4 || s[0] != l[0] || s[1] != l[1] || s[2] != l[2] * scale || s[3] != l[3] * scale)
            throw new InvalidOperationException($"Method '{method.Name}' returned [{string.Join("×", s)}] for input [{string.Join("×", l)}] at ×{scale}; expected [{l[0]}×{l[1]}×{l[2] * scale}×{l[3] * scale}].");
    }
}
