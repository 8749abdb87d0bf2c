using Sr.Models;
using Sr.Models.Imaging;
using Sr.Models.Networks;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Tests;

/// <summary>A two-layer Y network (conv → ReLU → conv to s² channels → pixel shuffle, plus nearest-upsampled input): enough to train in milliseconds.</summary>
internal sealed class TrainingTinyNet : SrNetwork
{
    private readonly nn.Conv2d conv1;
    private readonly nn.Conv2d conv2;

    public TrainingTinyNet(int scale) : base(nameof(TrainingTinyNet), scale, ColorSpace.Y)
    {
        conv1 = new nn.Conv2d(1, 8, 3, padding: 1);
        conv2 = new nn.Conv2d(8, scale * scale, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor lr) =>
        F.pixel_shuffle(conv2.forward(conv1.forward(lr).relu()), Scale) + F.interpolate(lr, scale_factor: [Scale], mode: nn.InterpolationMode.Nearest);
}

/// <summary>Box downscaling (mean of each s×s block): exactly local, so a patch of the degraded image equals the degradation of the patch.</summary>
internal sealed class TrainingBoxDegradation : IDegradation
{
    public string Name => "box";
    public Tensor Apply(Tensor hr, int scale, long seed = 0) => F.avg_pool2d(hr, scale);
}

/// <summary>Antialiased bicubic through libtorch (a stand-in for the imaging branch's MATLAB imresize).</summary>
internal sealed class TrainingTorchBicubic : IDegradation
{
    public string Name => "torch-bicubic";
    public Tensor Apply(Tensor hr, int scale, long seed = 0) =>
        F.interpolate(hr, size: [hr.shape[2] / scale, hr.shape[3] / scale], mode: nn.InterpolationMode.Bicubic, antialias: true);
}

/// <summary>Calls the handler on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class TrainingSyncProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => handler(value);
}

/// <summary>Fails like a full disk once <paramref name="limit"/> bytes have gone through.</summary>
internal sealed class TrainingFailingStream(Stream inner, long limit) : Stream
{
    private long _written;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_written + buffer.Length > limit)
        {
            inner.Write(buffer[..(int)(limit - _written)]);
            _written = limit;
            throw new IOException("No space left on device (simulated).");
        }
        inner.Write(buffer);
        _written += buffer.Length;
    }
}

internal static class TrainingFixtures
{
    /// <summary>Smooth, asymmetric Y images (C×H×W in [0,1]) from a fixed seed.</summary>
    public static List<Tensor> SmoothImages(int count, int size, ulong seed = 7)
    {
        manual_seed(seed);
        var images = new List<Tensor>();
        for (int i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            var coarse = rand(1, 1, size / 4, size / 4);
            var ramp = linspace(0, 0.3, size).reshape(1, 1, 1, size).expand(1, 1, size, size);
            var image = (F.interpolate(coarse, size: [size, size], mode: nn.InterpolationMode.Bicubic) * 0.7 + ramp).clamp(0, 1);
            images.Add(image.squeeze(0).contiguous().MoveToOuterDisposeScope());
        }
        return images;
    }

    public static PatchSampler Sampler(IDegradation? degradation = null, long seed = 3, int batch = 4, int hrPatch = 16, bool augment = true, int scale = 2)
    {
        var images = SmoothImages(3, 48);
        try
        {
            return PatchSampler.FromImages(images, scale, degradation ?? new TrainingBoxDegradation(),
                new PatchSamplerOptions { BatchSize = batch, HrPatchSize = hrPatch, Augment = augment, Seed = seed });
        }
        finally
        {
            foreach (var t in images) t.Dispose();
        }
    }

    public static TrainingTinyNet Net(int scale = 2, ulong seed = 11)
    {
        manual_seed(seed);
        return new TrainingTinyNet(scale);
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "srmlnet-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The raw bytes of every tensor of a state dict, by name (for bit-for-bit comparisons).</summary>
    public static Dictionary<string, float[]> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(p => p.Key, p => { using var c = p.Value.detach().contiguous(); return c.data<float>(); });
}
