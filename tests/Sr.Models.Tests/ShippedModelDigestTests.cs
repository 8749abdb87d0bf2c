using Sr.Models.Training;
using Sr.Models.Upscaling;
using Sr.Torch.Serialization;

namespace Sr.Models.Tests;

public sealed class ShippedModelDigestTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_shipped_default_model_with_one_weight_bit_flipped_is_refused(int scale)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"default-x{scale}-{Guid.NewGuid():N}.srm");
        var bytes = File.ReadAllBytes(DefaultModel.PathFor(scale));
        // A low mantissa bit of the last float32: still finite, still a plausible weight — only the digest can tell.
        bytes[^4] ^= 0x01;
        File.WriteAllBytes(copy, bytes);
        var e = Assert.Throws<WeightsFormatException>(() => ModelFile.Read(copy).Dispose());
        Assert.Contains(copy, e.Message);
        Assert.Contains("SHA-256", e.Message);
        File.Delete(copy);
        using var original = ModelFile.Read(DefaultModel.PathFor(scale)); // the file itself matches its digest
        Assert.Equal(scale, original.Scale);
    }
}
