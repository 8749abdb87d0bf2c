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

    [Fact]
    public void Large_tensors_reuse_cached_blocks_instead_of_faulting_in_new_pages()
    {
        // 48 MiB is above glibc's largest mmap threshold (32 MiB): with c10's allocator each such tensor is a fresh mapping
        // whose 12,288 pages fault in when written. The caching allocator hands the freed block out again, already mapped.
        if (Environment.GetEnvironmentVariable("SR_MALLOC") == "default") Assert.False(torch.cpu_cache_enabled());
        else Assert.True(torch.cpu_cache_enabled());
        if (!torch.cpu_cache_enabled()) return;
        static long MinorFaults() => long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7],
            System.Globalization.CultureInfo.InvariantCulture);
        using (var warm = torch.zeros(12L << 20)) { }
        var (_, hitsBefore, _) = torch.cpu_cache_stats();
        long before = MinorFaults();
        for (int i = 0; i < 3; i++)
            using (var t = torch.zeros(12L << 20)) { }
        long faults = MinorFaults() - before;
        var (_, hitsAfter, _) = torch.cpu_cache_stats();
        // Other tests run in parallel and may take the block in between, so at least one of the three must be a hit.
        Assert.True(hitsAfter - hitsBefore >= 1, $"{hitsAfter - hitsBefore} cache hits for three 48 MiB tensors");
        // Three fresh mappings would be 3 × 12,288 faults; fewer than one mapping's worth leaves room for other tests' work.
        Assert.True(faults < 12_288, $"{faults} minor page faults for three 48 MiB tensors (one fresh mapping: 12,288)");
    }

    [Fact]
    public void The_cache_counts_its_peak_and_takes_a_new_limit()
    {
        if (!torch.cpu_cache_enabled()) return;
        torch.cpu_cache_reset_peak();
        var (inUse, _) = torch.cpu_cache_peak();
        using (var t = torch.zeros(4L << 20)) { } // 16 MiB
        var (_, peak) = torch.cpu_cache_peak();
        Assert.True(peak - inUse >= 16L << 20, $"peak {peak} after in use {inUse}: the 16 MiB tensor was not counted");
        try
        {
            torch.cpu_cache_set_limit(0); // nothing kept: every freed block goes back at once
            using (var t = torch.zeros(4L << 20)) { }
            Assert.Equal(0, torch.cpu_cache_stats().CachedBytes);
        }
        finally
        {
            torch.cpu_cache_set_limit(-1);
        }
    }

    [Fact]
    public unsafe void Data_ptr_reads_and_writes_a_contiguous_tensor_in_place_and_refuses_a_strided_view()
    {
        using var t = torch.zeros([2, 3]);
        float* p = (float*)t.data_ptr();
        p[4] = 7f;
        Assert.Equal(7f, t.data<float>()[4]);
        using var view = t.t();
        Assert.Throws<InvalidOperationException>(() => view.data_ptr());
    }
}
