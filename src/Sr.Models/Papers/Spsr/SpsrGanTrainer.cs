// SPSR (Ma et al., CVPR 2020 §3.3–4.1; TPAMI 2021 §4.3): one GAN training iteration of SPSR-G (G, D_I, D_GM) or
// SPSR-P/-J (G, D_SF on NSE features), in the order of upstream's SPSRModel.optimize_parameters (Maclory/SPSR).
using Sr.Models.Losses;
using Sr.Models.Networks.Spsr;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Spsr;

/// <summary>
/// Owns the generator's and discriminators' Adam optimisers and MultiStepLR schedules. Each <see cref="Step"/>:
/// (1) freezes the discriminators and, during the fusion-only phase, every generator parameter outside "f_";
/// (2) updates G on the weighted sum of the variant's terms; (3) updates each discriminator on its RaGAN loss with the
/// SR image (or its gradient map / structure features) detached; (4) advances the schedules. The caller owns the networks.
/// A non-finite generator or discriminator loss throws <see cref="TrainingDivergedException"/> naming the iteration.
/// <see cref="SaveCheckpoint"/> and <see cref="Restore"/> carry everything that trains — G, each discriminator, their
/// optimisers and the iteration counter — so a run continues exactly; the frozen VGG19 and NSE come from their files.
/// </summary>
public sealed partial class SpsrGanTrainer : IDisposable
{
    private readonly optim.Optimizer _optG;
    private readonly List<(VggDiscriminator d, optim.Optimizer opt)> _ds = [];
    private readonly List<optim.lr_scheduler.LRScheduler> _schedulers = [];
    private readonly PerceptualLoss? _perceptual;
    private bool? _fusionOnlyApplied;

    /// <param name="perceptualExtractor">VGG19 with loaded weights; required when <see cref="SpsrOptions.FeatureWeight"/> &gt; 0.</param>
    /// <param name="structureExtractor">A trained NSE (frozen here); required for SPSR-P/-J.</param>
    public SpsrGanTrainer(SpsrOptions options, SpsrNet generator, Vgg19FeatureExtractor? perceptualExtractor, NeuralStructureExtractor? structureExtractor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        if (generator.Scale != options.Scale) throw new ArgumentException($"The generator is ×{generator.Scale} but the options say ×{options.Scale}.", nameof(generator));
        Options = options;
        Generator = generator;
        if (options.FeatureWeight > 0)
        {
            // Never train a perceptual SR model silently without its perceptual network.
            if (perceptualExtractor is null)
                throw new InvalidOperationException(Vgg19FeatureExtractor.MissingWeightsMessage(options.Vgg19WeightsPath ?? Vgg19FeatureExtractor.DefaultWeightsPath));
            _perceptual = new PerceptualLoss(perceptualExtractor, options.FeatureCriterion);
        }

        foreach (var p in generator.parameters()) p.requires_grad = true;
        _optG = optim.Adam(generator.parameters(), options.LearningRateG, options.Beta1G, options.Beta2, weight_decay: options.WeightDecayG);
        _schedulers.Add(new optim.lr_scheduler.MultiStepLR(_optG, options.LrMilestones, options.LrGamma));

        if (options.Variant == SpsrVariant.G)
        {
            if (options.GanWeight > 0) ImageDiscriminator = AddDiscriminator(new VggDiscriminator(3, 5, options.DiscriminatorFeatures));
            if (options.GradientGanWeight > 0) GradientDiscriminator = AddDiscriminator(new VggDiscriminator(3, 5, options.DiscriminatorFeatures));
        }
        else
        {
            StructureExtractor = structureExtractor ?? throw new ArgumentException(
                $"SPSR-{options.Variant} needs a trained neural structure extractor (nse-{options.Variant.ToString().ToLowerInvariant()}): give its weights (StructureExtractorPath).", nameof(structureExtractor));
            foreach (var p in StructureExtractor.parameters()) p.requires_grad = false;
            StructureExtractor.eval();
            // NSE features are at 1/4 resolution (32×32 for a 128 patch): three stride-2 stages reach the same 4×4.
            if (options.StructureGanWeight > 0)
                StructureDiscriminator = AddDiscriminator(new VggDiscriminator(StructureExtractor.Channels, 3, options.DiscriminatorFeatures));
        }
    }

    /// <summary>
    /// Builds the trainer with its frozen networks read from files: VGG19 from <see cref="SpsrOptions.Vgg19WeightsPath"/>
    /// (or the default path) when the perceptual loss is on — failing at once, naming the file, when it is missing — and the
    /// NSE from <see cref="SpsrOptions.StructureExtractorPath"/> (safetensors) for SPSR-P/-J.
    /// </summary>
    public static SpsrGanTrainer Create(SpsrOptions options, SpsrNet generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        var vgg = options.FeatureWeight > 0 ? Vgg19FeatureExtractor.Load(options.Vgg19WeightsPath) : null;
        NeuralStructureExtractor? nse = null;
        if (options.Variant != SpsrVariant.G)
        {
            var path = options.StructureExtractorPath ?? throw new ArgumentException($"SPSR-{options.Variant} needs StructureExtractorPath: the weights of a trained nse-{options.Variant.ToString().ToLowerInvariant()}.", nameof(options));
            if (!File.Exists(path)) throw new FileNotFoundException($"The structure extractor weights '{path}' do not exist (train one with the NSE task first).", path);
            nse = new NeuralStructureExtractor().load_safetensors(path);
        }
        return new SpsrGanTrainer(options, generator, vgg, nse);
    }

    private VggDiscriminator AddDiscriminator(VggDiscriminator d)
    {
        var opt = optim.Adam(d.parameters(), Options.LearningRateD, Options.Beta1D, Options.Beta2, weight_decay: Options.WeightDecayD);
        _ds.Add((d, opt));
        _schedulers.Add(new optim.lr_scheduler.MultiStepLR(opt, Options.LrMilestones, Options.LrGamma));
        return d;
    }

    /// <summary>The <see cref="Checkpoint.Kind"/> of the checkpoints <see cref="SaveCheckpoint"/> writes.</summary>
    public const string CheckpointKind = "spsr-gan";

    private const string OptimizerPrefix = "opt_";

    public SpsrOptions Options { get; }
    public SpsrNet Generator { get; }
    public VggDiscriminator? ImageDiscriminator { get; }
    public VggDiscriminator? GradientDiscriminator { get; }
    public VggDiscriminator? StructureDiscriminator { get; }
    public NeuralStructureExtractor? StructureExtractor { get; }

    /// <summary>Iterations done (upstream counts from 1: the first <see cref="Step"/> is iteration 1).</summary>
    public int Iteration { get; private set; }

    public double GeneratorLearningRate => _optG.ParamGroups[0].LearningRate;

    /// <summary>
    /// The networks that train, with their optimisers, under the names of their state in a checkpoint: "g" (generator),
    /// "d_img", "d_grad" (SPSR-G), "d_struct" (SPSR-P/-J); each optimiser's state is under "opt_" + the network's name.
    /// </summary>
    private IEnumerable<(string Name, nn.Module Network, optim.Optimizer Optimizer)> Trained()
    {
        yield return ("g", Generator, _optG);
        foreach (var (d, opt) in _ds)
            yield return (d == ImageDiscriminator ? "d_img" : d == GradientDiscriminator ? "d_grad" : "d_struct", d, opt);
    }

    /// <summary>Whether every weight of G and of each discriminator is finite (a diverged state is never saved).</summary>
    public bool WeightsAreFinite()
    {
        using var scope = NewDisposeScope();
        return Trained().All(t => t.Network.parameters().All(p => p.detach().isfinite().all().item<bool>()));
    }

    /// <summary>Whether iteration <paramref name="iteration"/> trains only the fusion block (upstream: step &lt; Branch_init_iters).</summary>
    public bool IsFusionOnly(int iteration) => Options.BranchPretrain && iteration < Options.BranchInitIterations;

    /// <summary>One iteration on a batch of LR (N×3×h×w) and HR (N×3×sh×sw) patches in [0,1].</summary>
    public SpsrStepLosses Step(Tensor lr, Tensor hr)
    {
        ArgumentNullException.ThrowIfNull(lr);
        ArgumentNullException.ThrowIfNull(hr);
        if (hr.size(2) != lr.size(2) * Options.Scale || hr.size(3) != lr.size(3) * Options.Scale)
            throw new ArgumentException($"HR [{string.Join(", ", hr.shape)}] is not ×{Options.Scale} of LR [{string.Join(", ", lr.shape)}].", nameof(hr));
        int it = ++Iteration;
        bool fusionOnly = IsFusionOnly(it);
        if (_fusionOnlyApplied != fusionOnly)
        {
            foreach (var (name, p) in Generator.named_parameters()) p.requires_grad = !fusionOnly || SpsrNet.IsFusionParameter(name);
            _fusionOnlyApplied = fusionOnly;
        }
        Generator.train();
        foreach (var (d, _) in _ds) { d.train(); foreach (var p in d.parameters()) p.requires_grad = false; }

        using var scope = NewDisposeScope();
        var o = Options;
        var losses = new SpsrStepLosses { Iteration = it, FusionOnly = fusionOnly };
        using var g = Generator.ForwardAll(lr);
        var sr = g.Image;
        Tensor? srGrad = null, hrGrad = null, srFeat = null, hrFeat = null;
        if (GradientDiscriminator is not null || o.Variant == SpsrVariant.G && o.GradientPixelWeight > 0)
        {
            srGrad = ImageGradient.Magnitude(sr, ImageGradient.LossPadding);
            using (no_grad()) hrGrad = ImageGradient.Magnitude(hr, ImageGradient.LossPadding);
        }
        if (StructureExtractor is not null)
        {
            srFeat = StructureExtractor.call(sr);
            using (no_grad()) hrFeat = StructureExtractor.call(hr);
        }
        var images = new Images(sr, hr, g.GradientMap, srGrad, hrGrad, srFeat, hrFeat);
        if (it % o.DUpdateRatio == 0 && it > o.DInitIterations) losses = UpdateGenerator(losses, images);
        losses = UpdateDiscriminators(losses, images);
        foreach (var s in _schedulers) s.step();
        return losses;
    }

    /// <summary>The SR image, the HR target, G's gradient-branch map, and the gradient maps / NSE features of SR and HR where used.</summary>
    private readonly record struct Images(Tensor Sr, Tensor Hr, Tensor GradientMap, Tensor? SrGrad, Tensor? HrGrad, Tensor? SrFeat, Tensor? HrFeat);

    /// <summary>G's update on the weighted sum of the variant's terms (the discriminators frozen).</summary>
    private SpsrStepLosses UpdateGenerator(SpsrStepLosses losses, Images x)
    {
        var o = Options;
        var (sr, hr) = (x.Sr, x.Hr);
        _optG.zero_grad();
        var terms = new List<Tensor>();
        double Add(double weight, Func<Tensor> term)
        {
            if (weight <= 0) return 0;
            var t = term().mul(weight);
            terms.Add(t);
            return t.item<double>();
        }
        losses = losses with
        {
            GeneratorUpdated = true,
            Pixel = Add(o.PixelWeight, () => PixelLosses.Distance(sr, hr, o.PixelCriterion)),
            Perceptual = _perceptual is null ? 0 : Add(o.FeatureWeight, () => _perceptual.Compute(sr, hr)),
            Branch = Add(o.PixelBranchWeight, () => GradientLosses.Branch(x.GradientMap, hr, o.PixelBranchCriterion)),
        };
        if (o.Variant == SpsrVariant.G)
        {
            losses = losses with
            {
                GradientPixel = Add(o.GradientPixelWeight, () => PixelLosses.Distance(x.SrGrad!, x.HrGrad!, o.GradientPixelCriterion)),
                ImageGan = ImageDiscriminator is null ? 0 : Add(o.GanWeight, () => RelativisticGanLoss.Generator(ImageDiscriminator.call(hr), ImageDiscriminator.call(sr))),
                GradientGan = GradientDiscriminator is null ? 0 : Add(o.GradientGanWeight, () => RelativisticGanLoss.Generator(GradientDiscriminator.call(x.HrGrad!), GradientDiscriminator.call(x.SrGrad!))),
            };
        }
        else
        {
            losses = losses with
            {
                StructurePixel = Add(o.StructurePixelWeight, () => PixelLosses.Distance(x.SrFeat!, x.HrFeat!, o.StructurePixelCriterion)),
                StructureGan = StructureDiscriminator is null ? 0 : Add(o.StructureGanWeight, () => RelativisticGanLoss.Generator(StructureDiscriminator.call(x.HrFeat!), StructureDiscriminator.call(x.SrFeat!))),
            };
        }
        if (terms.Count == 0) return losses;
        var total = terms.Aggregate((a, b) => a.add(b));
        double value = total.item<double>();
        if (!double.IsFinite(value)) throw new TrainingDivergedException(losses.Iteration, $"the SPSR generator loss is {value} (pixel {losses.Pixel}, perceptual {losses.Perceptual})", null, null);
        total.backward();
        _optG.step();
        return losses with { GeneratorTotal = value };
    }

    /// <summary>Each discriminator on its RaGAN loss with the fakes detached (upstream order: D_I, then D_GM; D_SF for SPSR-P/-J).</summary>
    private SpsrStepLosses UpdateDiscriminators(SpsrStepLosses losses, Images x)
    {
        foreach (var (d, opt) in _ds)
        {
            foreach (var p in d.parameters()) p.requires_grad = true;
            opt.zero_grad();
            Tensor real, fake;
            if (d == ImageDiscriminator) (real, fake) = (x.Hr, x.Sr.detach());
            else if (d == GradientDiscriminator) (real, fake) = (x.HrGrad!, x.SrGrad!.detach());
            else (real, fake) = (x.HrFeat!, x.SrFeat!.detach());
            var ld = RelativisticGanLoss.Discriminator(d.call(real), d.call(fake));
            double v = ld.item<double>();
            if (!double.IsFinite(v)) throw new TrainingDivergedException(losses.Iteration, $"the SPSR {Trained().First(t => ReferenceEquals(t.Network, d)).Name} discriminator loss is {v}", null, null);
            ld.backward();
            opt.step();
            if (d == ImageDiscriminator) losses = losses with { ImageDiscriminator = v };
            else if (d == GradientDiscriminator) losses = losses with { GradientDiscriminator = v };
            else losses = losses with { StructureDiscriminator = v };
        }
        return losses;
    }

    public void Dispose()
    {
        _optG.Dispose();
        foreach (var (d, opt) in _ds) { opt.Dispose(); d.Dispose(); }
    }
}
