namespace Sr.MLNet;

/// <summary>Names of the column annotations SrMlNet writes and reads (ML.NET's <c>AnnotationUtils.Kinds</c>).</summary>
public static class AnnotationKinds
{
    /// <summary>Text, on image columns: the <see cref="Sr.Models.ColorSpace"/> name ("Y" or "Rgb").</summary>
    public const string ColorSpace = "ColorSpace";

    /// <summary>Int32, on image columns: the scale relative to the HR image (1 for HR, s for an LR image degraded by s).</summary>
    public const string ScaleDivisor = "ScaleDivisor";

    /// <summary>Int32, on image columns: the image was mod-cropped to a multiple of this.</summary>
    public const string ModCrop = "ModCrop";
}
