using Sr.Models.Imaging;
using Sr.Torch;
using Sr.Torch.io;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Networks;

/// <summary>
/// Boundary targets for the HSP objective. The paper uses BSDS500 human annotations: those come from files
/// (<see cref="ReadFile"/>, <see cref="FindFile"/>); where the training data has none, the documented fallback is an edge
/// map of the HR image itself (<see cref="FromEdges"/>).
/// </summary>
public static class BoundaryMaps
{
    /// <summary>The subfolder of a training folder that holds boundary maps when the user gives no other folder.</summary>
    public const string DefaultFolderName = "boundaries";

    private static readonly string[] Extensions = [".png", ".pgm", ".bmp", ".tif", ".tiff", ".jpg", ".jpeg", ".webp"];

    /// <summary>
    /// The boundary file of training image <paramref name="imagePath"/> in <paramref name="folder"/>: the same file name
    /// stem with an image extension (PNG first), e.g. <c>boundaries/100075.png</c> for <c>100075.jpg</c>; null when none.
    /// </summary>
    public static string? FindFile(string folder, string imagePath)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(imagePath);
        var stem = Path.GetFileNameWithoutExtension(imagePath);
        return Extensions.Select(e => Path.Combine(folder, stem + e)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Reads a boundary map: a gray image (8 or 16 bit; an RGB file is accepted only when its three channels are equal)
    /// whose values in [0, 1] are the boundary strength, e.g. the mean of BSDS500's human annotations (exported from the
    /// ground-truth .mat files as PNG). It must have the HR image's size (<paramref name="height"/>×<paramref name="width"/>);
    /// returns 1×H×W float32. Errors name the file and the problem.
    /// </summary>
    public static Tensor ReadFile(string path, long height, long width)
    {
        var map = ReadFile(path);
        if (map.size(1) != height || map.size(2) != width)
        {
            var message = $"{path}: the boundary map is {map.size(2)}×{map.size(1)}, but its training image is {width}×{height}; both must have the same size.";
            map.Dispose();
            throw new InvalidDataException(message);
        }
        return map;
    }

    /// <summary>A boundary map file of any size as 1×H×W float32 (see <see cref="ReadFile(string, long, long)"/>).</summary>
    public static Tensor ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var image = ImageFile.Read(path);
        using var converted = ImageTensor.FromDecoded(image);
        using var scope = NewDisposeScope();
        var x = converted.Image; // 1×C×H×W in [0,1], alpha removed
        if (x.size(1) == 3)
        {
            double spread = (x - x.narrow(1, 0, 1)).abs().max().item<double>();
            if (spread > 0)
                throw new InvalidDataException($"{path}: the boundary map is a colour image; it must be gray (one value per pixel, boundary strength in [0, 1]).");
            x = x.narrow(1, 0, 1);
        }
        return x.squeeze(0).to(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A binary edge map: 1 where the Sobel gradient magnitude of the HR image exceeds <paramref name="threshold"/>.
    /// <paramref name="hr"/>: N×C×H×W in [0,1] (colour is averaged first); returns N×1×H×W float32 in {0, 1}.
    /// The Sobel kernels are divided by 8 (so a unit step gives a magnitude of ½ per side of the edge, a ramp of slope g
    /// gives g); borders are replicated. Unlike human boundaries this marks texture too — a deviation from the paper.
    /// </summary>
    public static Tensor FromEdges(Tensor hr, double threshold = 0.1)
    {
        ArgumentNullException.ThrowIfNull(hr);
        if (hr.dim() != 4) throw new ArgumentException($"FromEdges expects N×C×H×W, got [{string.Join(", ", hr.shape)}].", nameof(hr));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gray = hr.size(1) == 1 ? hr : hr.mean(1, keepdim: true);
        var padded = F.pad(gray, [1, 1, 1, 1], nn.PaddingModes.Replicate);
        var kx = tensor(new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, [1, 1, 3, 3]).to(hr.device) / 8.0;
        var ky = kx.transpose(2, 3);
        var gx = F.conv2d(padded, kx);
        var gy = F.conv2d(padded, ky);
        var magnitude = (gx * gx + gy * gy).sqrt();
        return magnitude.gt(threshold).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
