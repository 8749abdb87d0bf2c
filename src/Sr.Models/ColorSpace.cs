namespace Sr.Models;

/// <summary>What a method reads and writes: the luma channel alone (most of the papers) or full RGB.</summary>
public enum ColorSpace
{
    /// <summary>One channel: BT.601 Y as MATLAB's rgb2ycbcr, scaled to [0,1] as Y₂₅₅/255 (so within [16/255, 235/255]).</summary>
    Y,

    /// <summary>Three channels R,G,B in [0,1].</summary>
    Rgb,
}
