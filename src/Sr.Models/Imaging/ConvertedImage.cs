using Sr.Torch;

namespace Sr.Models.Imaging;

/// <summary>A decoded image as a 1×C×H×W tensor, with what the conversion did to it (dropped alpha, 16→8 bit, …).</summary>
public sealed record ConvertedImage(Tensor Image, IReadOnlyList<string> Notes) : IDisposable
{
    public int Channels => (int)Image.shape[1];
    public int Height => (int)Image.shape[2];
    public int Width => (int)Image.shape[3];
    public bool IsGray => Channels == 1;
    public void Dispose() => Image.Dispose();
}
