using Sr.Fuzz;

namespace Sr.Models.Tests;

/// <summary>
/// Issue #19: the fuzzing harness at a tiny budget (the on-demand run is
/// <c>dotnet run --project tests/Sr.Fuzz -c Release -- --images 10000 --models 1000 --seed 1</c>).
/// </summary>
public class FuzzSmokeTests
{
    [Fact]
    public void A_small_seeded_fuzz_run_has_no_crash_hang_silent_wrong_output_or_error_without_the_file_name()
    {
        var summary = Fuzzer.Run(new FuzzOptions { Images = 280, Models = 150, Seed = 1, Budget = TimeSpan.FromSeconds(50), CaseTimeout = TimeSpan.FromSeconds(10) });
        var table = summary.ToTable();
        Assert.True(summary.Problems == 0, table);
        // Every target ran, and most mutants were refused (a harness that accepted everything would test nothing).
        Assert.All(summary.Targets, t => Assert.True(t.Cases > 0, $"{t.Name} ran no case\n{table}"));
        Assert.All(summary.Targets, t => Assert.True(t.Counts[Verdict.CleanError] > t.Cases / 2, $"{t.Name}\n{table}"));
    }
}
