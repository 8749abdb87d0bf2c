namespace Sr.MLNet;

/// <summary>
/// Image columns (ML.NET's <c>ImageDataViewType</c>): the raw type is <see cref="SrImage"/>, a 1×C×H×W float32 tensor in
/// [0,1] plus its colour space. <see cref="Height"/> and <see cref="Width"/> are 0 when images vary in size (the usual
/// case: folders of photographs); patches have a known size. The colour space travels as the
/// <see cref="AnnotationKinds.ColorSpace"/> annotation.
/// </summary>
public sealed class ImageDataViewType : DataViewType
{
    public ImageDataViewType() : this(0, 0) { }

    public ImageDataViewType(int height, int width) : base(typeof(SrImage))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if ((height == 0) != (width == 0)) throw new ArgumentException("Give both height and width, or neither (unknown size).");
        Height = height;
        Width = width;
    }

    public int Height { get; }

    public int Width { get; }

    public bool IsKnownSize => Height > 0;

    public override bool Equals(DataViewType? other) => other is ImageDataViewType i && i.Height == Height && i.Width == Width;

    public override int GetHashCode() => HashCode.Combine(typeof(SrImage), Height, Width);

    public override string ToString() => IsKnownSize ? $"Image<{Height}, {Width}>" : "Image";
}
