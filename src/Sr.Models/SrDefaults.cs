namespace Sr.Models;

/// <summary>Defaults shared by the library, the ML.NET components and the CLI, so that each names the same thing.</summary>
public static class SrDefaults
{
    /// <summary>The upscaling factor when none is given (the CLI's --scale, every catalog method's scale).</summary>
    public const int Scale = 2;

    /// <summary>The degradation that makes LR images from HR images: MATLAB's antialiased bicubic imresize (the papers' BI).</summary>
    public const string Degradation = "bicubic";
}
