namespace Sr.MLNet;

/// <summary>
/// The result of evaluating an SR method on a dataset (ML.NET's typed metrics, e.g. <c>RegressionMetrics</c>): mean PSNR
/// and SSIM, the protocol that produced them (every number travels with its protocol), and one row per image.
/// <see cref="ToTable"/> gives the per-image table with a mean row, printable and savable as CSV/Markdown/JSON.
/// </summary>
public sealed class SuperResolutionMetrics
{
    public SuperResolutionMetrics(string method, string dataset, int scale, string protocol, IReadOnlyList<ImageMetrics> perImage)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(perImage);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        Method = method;
        Dataset = dataset;
        Scale = scale;
        Protocol = protocol;
        PerImage = perImage;
        var measured = perImage.Where(r => double.IsFinite(r.Psnr)).ToList();
        Psnr = measured.Count == 0 ? double.NaN : measured.Average(r => r.Psnr);
        Ssim = measured.Count == 0 ? double.NaN : measured.Average(r => r.Ssim);
        Seconds = perImage.Sum(r => r.Seconds);
    }

    public string Method { get; }
    public string Dataset { get; }
    public int Scale { get; }

    /// <summary>The protocol's name and description ("y-shave: Y (BT.601 …), shave scale px, …").</summary>
    public string Protocol { get; }

    /// <summary>Mean PSNR in dB over the measured images.</summary>
    public double Psnr { get; }

    /// <summary>Mean SSIM over the measured images.</summary>
    public double Ssim { get; }

    /// <summary>Total seconds spent in the method.</summary>
    public double Seconds { get; }

    public IReadOnlyList<ImageMetrics> PerImage { get; }

    /// <summary>Columns Dataset, Scale, Method, Image, Width, Height, PSNR, SSIM, Seconds; one row per image then a "mean" row.</summary>
    public MetricsTable ToTable()
    {
        var t = NewTable();
        AppendTo(t);
        return t;
    }

    /// <summary>The table layout of <see cref="ToTable"/>, to collect several datasets in one table with <see cref="AppendTo"/>.</summary>
    public static MetricsTable NewTable() => new(("Dataset", typeof(string)), ("Scale", typeof(int)), ("Method", typeof(string)), ("Image", typeof(string)),
        ("Width", typeof(int)), ("Height", typeof(int)), ("PSNR", typeof(double)), ("SSIM", typeof(double)), ("Seconds", typeof(double)));

    public void AppendTo(MetricsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var r in PerImage) table.Append(Dataset, Scale, Method, r.Image, r.Width, r.Height, r.Psnr, r.Ssim, r.Seconds);
        table.Append(Dataset, Scale, Method, "mean", null, null, Psnr, Ssim, Seconds);
    }

    public override string ToString() =>
        $"{Method} on {Dataset} ×{Scale}: PSNR {MetricsTable.Format(Psnr)} dB, SSIM {MetricsTable.Format(Ssim)} ({PerImage.Count} images; {Protocol})";
}
