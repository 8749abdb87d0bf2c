using System.Diagnostics;
using Sr.Models.Imaging;
using Sr.Models.Metrics;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Evaluation;

// The folder, manifest and file-list evaluations: each file read, measured and reported as a row.
public sealed partial class SrEvaluator
{
    /// <summary>Evaluates every file directly in <paramref name="folder"/> (sorted by name; subfolders and dot-files ignored).</summary>
    public EvalReport EvaluateFolder(string folder, ISuperResolver method, int scale, string? dataset = null,
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such folder.");
        var files = Directory.GetFiles(folder)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        return EvaluateFiles(files, method, scale, dataset ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), progress, cancellationToken);
    }

    /// <summary>Evaluates the HR files of a manifest (after checking them: a missing or differing file throws, naming it).</summary>
    public EvalReport EvaluateManifest(DatasetManifest manifest, string dataRoot, ISuperResolver method, int scale,
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var check = manifest.Verify(dataRoot, hrOnly: true, cancellationToken);
        check.ThrowIfFailed();
        var files = manifest.HrFiles.Select(f => manifest.PathOf(dataRoot, f)).ToList();
        return EvaluateFiles(files, method, scale, manifest.Name, progress, cancellationToken);
    }

    /// <summary>Evaluates the given files in order; each bad file becomes a skipped row with its reason.</summary>
    public EvalReport EvaluateFiles(IReadOnlyList<string> files, ISuperResolver method, int scale, string dataset,
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(method);
        CheckScale(method, scale);
        var rows = new List<EvalImageResult>();
        for (int i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = EvaluateFile(files[i], null, method, scale, Seed + i, i);
            rows.Add(row);
            progress?.Report(new EvalProgress(i + 1, files.Count, row));
        }
        return new EvalReport(dataset, scale, Protocol, method.Name, Degradation.Name, rows) { LpipsWeights = LpipsWeights };
    }

    /// <summary>
    /// Evaluates HR images against pre-made LR files, paired by <paramref name="pairing"/> (see <see cref="LrPairing"/>): the
    /// LR is used as given, no degradation is applied. An HR file without its LR file is a skipped row naming the file looked for.
    /// </summary>
    public EvalReport EvaluateFolderWithLr(string hrFolder, LrPairing pairing, ISuperResolver method, int scale, string? dataset = null,
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hrFolder);
        ArgumentNullException.ThrowIfNull(pairing);
        ArgumentNullException.ThrowIfNull(method);
        if (!Directory.Exists(hrFolder)) throw new DirectoryNotFoundException($"{hrFolder}: no such folder.");
        CheckScale(method, scale);
        var files = Directory.GetFiles(hrFolder)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && ImageExtensions.Contains(Path.GetExtension(f)))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        var rows = new List<EvalImageResult>();
        for (int i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lr = pairing.Find(files[i], i, scale);
            var row = lr.Path is null
                ? EvalImageResult.Skip(Path.GetFileName(files[i]), $"no LR file {lr.LookedFor} in {pairing.Folder}")
                : EvaluateFile(files[i], lr.Path, method, scale, Seed + i, i);
            rows.Add(row);
            progress?.Report(new EvalProgress(i + 1, files.Count, row));
        }
        return new EvalReport(dataset ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(hrFolder))), scale, Protocol, method.Name,
            "given LR files", rows) { LrFolder = Path.GetFullPath(pairing.Folder), LpipsWeights = LpipsWeights };
    }

    /// <summary>What reports name as the LPIPS weights: the path they were loaded from; null without LPIPS.</summary>
    private string? LpipsWeights => Lpips is null ? null : Lpips.Source ?? "(LPIPS module built in code)";

    /// <summary>Reads one file as 1×C×H×W on uint8 levels (alpha dropped), or the reason it cannot be used.</summary>
    private static (ConvertedImage? image, string? problem) ReadImage(string path)
    {
        try
        {
            using var decoded = ImageFile.Read(path);
            return (ImageTensor.FromDecoded(decoded, AlphaHandling.Drop, ScalarType.Float32), null);
        }
        catch (ImageFormatException e)
        {
            return (null, e.Problem);
        }
    }

    private EvalImageResult EvaluateFile(string path, string? lrPath, ISuperResolver method, int scale, long seed, int index)
    {
        string name = Path.GetFileName(path);
        if (!ImageExtensions.Contains(Path.GetExtension(path)))
            return EvalImageResult.Skip(name, $"not an image file (extension '{Path.GetExtension(path)}')");
        if (lrPath is not null)
        {
            var (hrImage, hrProblem) = ReadImage(path);
            if (hrImage is null) return EvalImageResult.Skip(name, hrProblem!);
            using (hrImage)
            {
                var (lrImage, lrProblem) = ReadImage(lrPath);
                if (lrImage is null) return EvalImageResult.Skip(name, $"LR file {lrPath}: {lrProblem}", hrImage.Width, hrImage.Height);
                using (lrImage)
                {
                    int hw = hrImage.Width, hh = hrImage.Height;
                    if (TooSmall(hw, hh, scale) is { } small) return EvalImageResult.Skip(name, small, hw, hh);
                    ImageScore score;
                    try
                    {
                        score = EvaluateImage(hrImage.Image, method, scale, seed, name, index, lrImage.Image);
                    }
                    catch (ArgumentException e) when (e.ParamName is null)
                    {
                        return EvalImageResult.Skip(name, $"LR file {lrPath}: {e.Message}", hw, hh);
                    }
                    var lrNotes = hrImage.Notes.Concat(lrImage.Notes.Select(n => "LR: " + n)).ToList();
                    lrNotes.Insert(0, "LR " + Path.GetFileName(lrPath));
                    return new EvalImageResult(name, hw, hh, score.Psnr, score.Ssim, score.Seconds,
                        hrImage.Notes.Count + lrImage.Notes.Count > 0 ? EvalOutcome.Converted : EvalOutcome.Evaluated, string.Join("; ", lrNotes)) { Lpips = score.Lpips };
                }
            }
        }
        DecodedImage decoded;
        try
        {
            decoded = ImageFile.Read(path);
        }
        catch (ImageFormatException e)
        {
            return EvalImageResult.Skip(name, e.Problem);
        }
        using (decoded)
        {
            using var converted = ImageTensor.FromDecoded(decoded, AlphaHandling.Drop, ScalarType.Float32);
            int w = converted.Width, h = converted.Height;
            if (TooSmall(w, h, scale) is { } small) return EvalImageResult.Skip(name, small, w, h);
            var score = EvaluateImage(converted.Image, method, scale, seed, name, index);
            var notes = converted.Notes.ToList();
            if (converted.IsGray) notes.Insert(0, "gray: measured on its one channel");
            return new EvalImageResult(name, w, h, score.Psnr, score.Ssim, score.Seconds,
                converted.Notes.Count > 0 ? EvalOutcome.Converted : EvalOutcome.Evaluated, notes.Count > 0 ? string.Join("; ", notes) : null) { Lpips = score.Lpips };
        }
    }

    /// <summary>Why a <paramref name="w"/>×<paramref name="h"/> image cannot be measured (SSIM's window after the shave; AlexNet's pooling with LPIPS), or null.</summary>
    private string? TooSmall(int w, int h, int scale)
    {
        int cw = w - w % scale, ch = h - h % scale;
        int minSide = 2 * Protocol.ShaveFor(scale) + Ssim.WindowSize;
        if (ch < minSide || cw < minSide)
            return $"too small: {w}×{h} leaves less than {Ssim.WindowSize}×{Ssim.WindowSize} after mod-crop and a {Protocol.ShaveFor(scale)} px shave";
        if (Lpips is not null && (ch < Losses.Lpips.MinSide || cw < Losses.Lpips.MinSide))
            return $"too small for LPIPS: {cw}×{ch} after mod-crop, under the {Losses.Lpips.MinSide}×{Losses.Lpips.MinSide} its AlexNet needs";
        return null;
    }
}
