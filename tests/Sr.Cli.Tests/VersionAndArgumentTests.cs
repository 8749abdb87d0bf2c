namespace Sr.Cli.Tests;

[Collection("cli")]
public class VersionAndArgumentTests
{
    [Fact]
    public void Version_names_srmlnet_libtorch_device_and_threads()
    {
        var (code, stdout, _) = CliRunner.Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^SrMlNet \d+\.\d+\.\d+; libtorch \d+\.\d+\.\d+; device cpu.*; threads \d+", stdout.Trim());
    }

    [Fact]
    public void Unknown_command_fails_with_a_message_and_non_zero_exit()
    {
        var (code, _, stderr) = CliRunner.Run("frobnicate");
        Assert.NotEqual(0, code);
        Assert.Contains("frobnicate", stderr);
    }
}
