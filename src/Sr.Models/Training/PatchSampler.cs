using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Training;

/// <summary>
/// Aligned LR/HR training patches cut at random from a set of images that are loaded once and cached in memory.
/// <para>
/// Images become C×H×W float planes in the network's colour space (Y or RGB), mod-cropped to the scale, and each is
/// degraded as a WHOLE image (not patch by patch): that is how the papers' training sets were made (SRCNN, VDSR,
/// DRRN, RSRNet crop patches from images degraded with MATLAB imresize), patch borders then see the same pixels as
/// the evaluation does, and it costs one resize per image instead of one per patch. A patch's LR window at (y, x)
/// pairs with the HR window at (s·y, s·x).
/// </para>
/// <para>
/// Positions are drawn uniformly over all (image, position) pairs, i.e. images weigh by their area, which is the
/// distribution the papers get by extracting every patch on a grid and shuffling. Batch k is a pure function of
/// (seed, k), so a run is reproducible and a resumed run sees exactly the batches it would have seen.
/// </para>
/// </summary>
public sealed class PatchSampler
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".ppm", ".pgm", ".pnm", ".webp"];

    private readonly List<float[]> _hr = [];
    private readonly List<float[]>? _boundary; // 1×H×W per image, aligned with _hr (boundary files), or null
    private readonly List<(int h, int w)> _size = []; // HR size (multiples of the scale)
    private readonly long[] _cumulativePositions;
    private readonly IDegradation? _degradation; // null: the LR images were given (FromPairs)
    private readonly object _lrGate = new();
    private List<float[]> _lr = [];
    private long _lrEpoch = -1;

    private PatchSampler(IReadOnlyList<(string name, Tensor chw)> images, int scale, int channels, IDegradation? degradation, PatchSamplerOptions options, string source,
        IReadOnlyList<Tensor>? boundaries = null, IReadOnlyList<Tensor>? givenLr = null)
    {
        if (givenLr is not null && givenLr.Count != images.Count)
            throw new ArgumentException($"{source}: {givenLr.Count} LR images for {images.Count} HR images.", nameof(givenLr));
        if (boundaries is not null && boundaries.Count != images.Count)
            throw new ArgumentException($"{source}: {boundaries.Count} boundary maps for {images.Count} images.", nameof(boundaries));
        _boundary = boundaries is null ? null : [];
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        Scale = scale;
        Channels = channels;
        Options = options;
        _degradation = degradation;
        LrPatchSize = options.HrPatchSize / scale;
        if (LrPatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"HR patch size {options.HrPatchSize} is smaller than the scale {scale}.");
        var skipped = new List<string>();
        var names = new List<string>();
        for (int k = 0; k < images.Count; k++)
        {
            var (name, chw) = images[k];
            if (chw.dim() != 3 || chw.shape[0] != channels)
                throw new ArgumentException($"{name}: expected a {channels}×H×W image, got [{string.Join("×", chw.shape)}].");
            int h = (int)(chw.shape[1] / scale * scale), w = (int)(chw.shape[2] / scale * scale);
            if (h < HrPatchSize || w < HrPatchSize)
            {
                skipped.Add($"{name} ({chw.shape[2]}×{chw.shape[1]} is smaller than the {HrPatchSize}-pixel HR patch)");
                continue;
            }
            if (givenLr is not null)
            {
                var lr = givenLr[k];
                if (lr.dim() != 3 || lr.shape[0] != channels || lr.shape[1] * scale != chw.shape[1] || lr.shape[2] * scale != chw.shape[2])
                    throw new ArgumentException($"{name}: HR [{string.Join("×", chw.shape)}] and LR [{string.Join("×", lr.shape)}] are not a ×{scale} pair; mod-crop the HR image before degrading it.");
                using var lrContiguous = lr.to(ScalarType.Float32).contiguous();
                _lr.Add(lrContiguous.data<float>());
            }
            using var cropped = chw.narrow(1, 0, h).narrow(2, 0, w).to(ScalarType.Float32).contiguous();
            _hr.Add(cropped.data<float>());
            if (_boundary is not null)
            {
                var b = boundaries![k];
                if (b.dim() != 3 || b.shape[0] != 1 || b.shape[1] != chw.shape[1] || b.shape[2] != chw.shape[2])
                    throw new ArgumentException($"{name}: its boundary map is [{string.Join("×", b.shape)}]; expected [1×{chw.shape[1]}×{chw.shape[2]}].");
                using var croppedBoundary = b.narrow(1, 0, h).narrow(2, 0, w).to(ScalarType.Float32).contiguous();
                _boundary.Add(croppedBoundary.data<float>());
            }
            _size.Add((h, w));
            names.Add(name);
        }
        if (_hr.Count == 0)
            throw new ArgumentException($"{source}: no usable training image (need at least {HrPatchSize}×{HrPatchSize} pixels){(skipped.Count > 0 ? "; skipped: " + string.Join("; ", skipped) : "")}.");
        ImageNames = names;
        Skipped = skipped;
        _cumulativePositions = new long[_hr.Count];
        long total = 0, pixels = 0;
        for (int i = 0; i < _hr.Count; i++)
        {
            var (h, w) = _size[i];
            total += (long)(h / scale - LrPatchSize + 1) * (w / scale - LrPatchSize + 1);
            _cumulativePositions[i] = total;
            pixels += (long)h * w;
        }
        // One "epoch" = as many patches as cover every HR pixel once on average; it only matters for re-degradation.
        PatchesPerEpoch = Math.Max(1, pixels / ((long)HrPatchSize * HrPatchSize));
        if (givenLr is not null) _lrEpoch = 0; // the pairs' own LR: never degraded again
        else EnsureLr(0);
    }

    /// <summary>Every image file of <paramref name="folder"/> (sorted by name, not recursive).</summary>
    public static PatchSampler FromFolder(string folder, int scale, ColorSpace colorSpace, IDegradation degradation, PatchSamplerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: training data folder does not exist.");
        var files = ImageFilesIn(folder);
        if (files.Count == 0) throw new ArgumentException($"{folder}: contains no image files ({string.Join(", ", ImageExtensions)}).");
        return FromFiles(files, scale, colorSpace, degradation, options, folder);
    }

    /// <summary>The image files of a folder, sorted by name (ordinal) so that runs are reproducible across file systems.</summary>
    public static IReadOnlyList<string> ImageFilesIn(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();

    public static PatchSampler FromFiles(IReadOnlyList<string> files, int scale, ColorSpace colorSpace, IDegradation degradation, PatchSamplerOptions? options = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(degradation);
        options ??= new();
        var images = new List<(string, Tensor)>();
        List<Tensor>? boundaries = options.BoundaryFolder is null ? null : [];
        try
        {
            foreach (var f in files) images.Add((f, LoadImage(f, colorSpace)));
            if (options.BoundaryFolder is { } folder)
            {
                if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: boundary map folder does not exist.");
                var maps = files.Select(f => BoundaryMaps.FindFile(folder, f)).ToList();
                var missing = files.Where((_, i) => maps[i] is null).Select(Path.GetFileName).ToList();
                if (missing.Count > 0)
                    throw new FileNotFoundException($"{folder}: no boundary map for {missing.Count} of {files.Count} training images " +
                        $"({string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}); every image needs <stem>.png (or another image type) there.");
                for (int i = 0; i < images.Count; i++) boundaries!.Add(BoundaryMaps.ReadFile(maps[i]!, images[i].Item2.shape[1], images[i].Item2.shape[2]));
            }
            return new PatchSampler(images, scale, colorSpace == ColorSpace.Y ? 1 : 3, degradation, options, source ?? "training file list", boundaries);
        }
        finally
        {
            foreach (var (_, t) in images) t.Dispose();
            foreach (var t in boundaries ?? []) t.Dispose();
        }
    }

    /// <summary>From HR images already in memory: C×H×W float32 in [0,1], C = 1 (Y) or 3 (RGB), all with the same C.</summary>
    /// <param name="boundaries">Optional boundary maps, one 1×H×W map in [0,1] per image (same H×W), for LSP-HSP.</param>
    public static PatchSampler FromImages(IReadOnlyList<Tensor> images, int scale, IDegradation degradation, PatchSamplerOptions? options = null,
        IReadOnlyList<Tensor>? boundaries = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(degradation);
        if (images.Count == 0) throw new ArgumentException("No training images were given.", nameof(images));
        int channels = (int)images[0].shape[0];
        return new PatchSampler(images.Select((t, i) => ($"image {i}", t)).ToList(), scale, channels, degradation, options ?? new(), "training images", boundaries);
    }

    /// <summary>
    /// From ready LR/HR pairs (a pipeline's, or a paired LR folder's): <paramref name="hr"/>[i] is C×H×W and <paramref name="lr"/>[i]
    /// C×(H/s)×(W/s), float32 in [0,1]; patches are cut from both as they are, nothing is degraded (so
    /// <see cref="PatchSamplerOptions.RedegradeEachEpoch"/> has no effect).
    /// </summary>
    public static PatchSampler FromPairs(IReadOnlyList<Tensor> hr, IReadOnlyList<Tensor> lr, int scale, PatchSamplerOptions? options = null,
        IReadOnlyList<Tensor>? boundaries = null, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(hr);
        ArgumentNullException.ThrowIfNull(lr);
        if (hr.Count == 0) throw new ArgumentException("No training pairs were given.", nameof(hr));
        int channels = (int)hr[0].shape[0];
        return new PatchSampler(hr.Select((t, i) => (names?[i] ?? $"pair {i}", t)).ToList(), scale, channels, null, (options ?? new()) with { RedegradeEachEpoch = false },
            "training pairs", boundaries, lr);
    }

    /// <summary>
    /// Reads an image file as C×H×W float32 in [0,1] in the colour space, as the evaluator does: Y = MATLAB rgb2ycbcr on
    /// the uint8 image, rounded (a gray image is its own Y); RGB = the 8-bit values (gray replicated). Alpha is dropped.
    /// </summary>
    public static Tensor LoadImage(string path, ColorSpace colorSpace)
    {
        using var image = ImageFile.Read(path);
        using var converted = ImageTensor.FromDecoded(image);
        using var scope = torch.NewDisposeScope();
        var x = converted.Image; // 1×C×H×W on uint8 levels in [0,1]
        bool gray = x.shape[1] == 1;
        var result = colorSpace == ColorSpace.Y
            ? (gray ? x : ColorConversion.RgbToY(x, roundLikeUint8: true))
            : (gray ? x.expand(1, 3, x.shape[2], x.shape[3]) : x);
        return result.squeeze(0).contiguous().MoveToOuterDisposeScope();
    }

    public int Scale { get; }
    public int Channels { get; }
    public PatchSamplerOptions Options { get; }
    public int BatchSize => Options.BatchSize;
    public long Seed => Options.Seed;
    public int LrPatchSize { get; }
    public int HrPatchSize => LrPatchSize * Scale;
    public long PatchesPerEpoch { get; }
    public IReadOnlyList<string> ImageNames { get; }

    /// <summary>Images left out (too small for one patch), with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int ImageCount => _hr.Count;

    /// <summary>Whether batches carry boundary targets (<see cref="PatchBatch.Boundary"/>) from boundary files.</summary>
    public bool HasBoundaries => _boundary is not null;

    /// <summary>The epoch batch <paramref name="index"/> falls in (only used to refresh random degradations).</summary>
    public long EpochOf(long index) => index * BatchSize / PatchesPerEpoch;

    /// <summary>Batch <paramref name="index"/> of the stream: a pure function of (seed, index). Thread-safe.</summary>
    public PatchBatch GetBatch(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var lrImages = EnsureLr(Options.RedegradeEachEpoch ? EpochOf(index) : 0);
        var rng = new SplitMix64(SplitMix64.Mix(Seed, index, 0x5A17));
        int p = LrPatchSize, hp = HrPatchSize, n = BatchSize, c = Channels;
        var lr = new float[n * c * p * p];
        var hr = new float[n * c * hp * hp];
        var boundary = _boundary is null ? null : new float[n * hp * hp];
        long total = _cumulativePositions[^1];
        for (int b = 0; b < n; b++)
        {
            long pick = rng.NextBelow(total);
            int i = Array.BinarySearch(_cumulativePositions, pick);
            i = i < 0 ? ~i : i + 1; // first image whose cumulative count exceeds pick
            long local = pick - (i == 0 ? 0 : _cumulativePositions[i - 1]);
            var (h, w) = _size[i];
            int lh = h / Scale, lw = w / Scale, columns = lw - p + 1;
            int top = (int)(local / columns), left = (int)(local % columns);
            int code = Options.Augment ? (int)rng.NextBelow(DihedralTransform.Count) : 0;
            DihedralTransform.CropTransformed(lrImages[i], c, lh, lw, top, left, p, code, lr.AsSpan(b * c * p * p, c * p * p));
            DihedralTransform.CropTransformed(_hr[i], c, h, w, top * Scale, left * Scale, hp, code, hr.AsSpan(b * c * hp * hp, c * hp * hp));
            if (boundary is not null)
                DihedralTransform.CropTransformed(_boundary![i], 1, h, w, top * Scale, left * Scale, hp, code, boundary.AsSpan(b * hp * hp, hp * hp));
        }
        return new PatchBatch(index, n, c, p, Scale, lr, hr, boundary);
    }

    private List<float[]> EnsureLr(long epoch)
    {
        lock (_lrGate)
        {
            if (epoch == _lrEpoch || _degradation is null) return _lr;
            var fresh = new List<float[]>(_hr.Count);
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            for (int i = 0; i < _hr.Count; i++)
            {
                var (h, w) = _size[i];
                var hr = torch.tensor(_hr[i], [1, Channels, h, w]);
                var lr = _degradation.Apply(hr, Scale, (long)SplitMix64.Mix(Seed, epoch, i));
                if (!lr.shape.SequenceEqual(new long[] { 1, Channels, h / Scale, w / Scale }))
                    throw new InvalidOperationException($"Degradation '{_degradation.Name}' returned [{string.Join("×", lr.shape)}] for a [1×{Channels}×{h}×{w}] image at scale {Scale}; expected [1×{Channels}×{h / Scale}×{w / Scale}].");
                fresh.Add(lr.to(ScalarType.Float32).contiguous().data<float>());
            }
            _lr = fresh;
            _lrEpoch = epoch;
            return _lr;
        }
    }

    /// <summary>The cached HR and (current) LR image <paramref name="i"/> as new 1×C×H×W tensors (for inspection and tests).</summary>
    public (Tensor lr, Tensor hr) GetImage(int i)
    {
        var (h, w) = _size[i];
        var lr = EnsureLr(_lrEpoch < 0 ? 0 : _lrEpoch);
        return (torch.tensor(lr[i], [1, Channels, h / Scale, w / Scale]), torch.tensor(_hr[i], [1, Channels, h, w]));
    }
}
