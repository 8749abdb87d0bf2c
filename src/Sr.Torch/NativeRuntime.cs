using Sr.Torch.Native;

namespace Sr.Torch;

/// <summary>Loads the native shim once, with an actionable error when it or libtorch is missing.</summary>
internal static class NativeRuntime
{
    private static readonly object Gate = new();
    private static bool _ready;

    internal static void EnsureLoaded()
    {
        if (_ready) return;
        lock (Gate)
        {
            if (_ready) return;
            try
            {
                // libtorch starts with 1 intra-op thread on these machines; use every core unless told otherwise.
                var env = Environment.GetEnvironmentVariable("SR_NUM_THREADS");
                int n = int.TryParse(env, out var v) && v > 0 ? v : Environment.ProcessorCount;
                NativeMethods.sr_set_num_threads(n);
                NativeMethods.sr_image_set_global_pixel_limit(ImageLimits.HardPixelLimit);
            }
            catch (DllNotFoundException e)
            {
                throw new TorchException(
                    "The native shim libsrnative.so (or libtorch/OpenCV it links to) could not be loaded. Build the solution " +
                    "(dotnet build builds native/ with CMake) and install the prerequisites as root: " +
                    "apt-get update && apt-get install -y libtorch-dev cmake libopencv-dev libopenblas0-pthread. Loader: " + e.Message, e);
            }
            _ready = true;
        }
    }
}

/// <summary>Process-wide image size limits (decompression-bomb protection).</summary>
public static class ImageLimits
{
    /// <summary>The decoder's own ceiling, applied before pixels are allocated: 2^28 pixels (≈16k × 16k).</summary>
    public const long HardPixelLimit = 1L << 28;
}
