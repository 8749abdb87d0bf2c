namespace Sr.Models.Imaging;

/// <summary>What to do with the alpha channel of an RGBA (or gray+alpha) image when it becomes a tensor.</summary>
public enum AlphaHandling
{
    /// <summary>Drop alpha and use the colour channels as stored (not composited on a background); the conversion notes it.</summary>
    Drop,

    /// <summary>Keep alpha as a fourth (or second) channel.</summary>
    Keep,

    /// <summary>Refuse the image with an <see cref="ArgumentException"/> naming it.</summary>
    Reject,
}
