namespace Sr.Models.Imaging;

/// <summary>How imresize reads samples outside the image.</summary>
public enum ResizeBorder
{
    /// <summary>Mirror including the edge sample (…,2,1,1,2,…): current MATLAB imresize.</summary>
    Symmetric,

    /// <summary>Repeat the edge sample: older MATLAB imresize (the SelfExSR LR files of Set5/Set14 were made this way).</summary>
    Replicate,
}
