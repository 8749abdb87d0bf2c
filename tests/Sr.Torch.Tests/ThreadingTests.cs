using Sr.Torch;

namespace Sr.Torch.Tests;

public class ThreadingTests
{
    [Fact]
    public void OpenBlas_runs_on_one_thread_unless_the_user_sets_OPENBLAS_NUM_THREADS()
    {
        // native/build.sh installs OpenBLAS (without it libtorch's matrix products use the reference BLAS, ~27× slower);
        // the shim then gives it one thread so that its pool does not compete with libtorch's OpenMP threads.
        var blas = torch.get_blas_num_threads();
        Assert.NotNull(blas);
        var chosen = Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS");
        Assert.Equal(chosen is null ? 1 : int.Parse(chosen, System.Globalization.CultureInfo.InvariantCulture), blas);
    }
}
