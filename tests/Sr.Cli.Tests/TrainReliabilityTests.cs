using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Sr.Cli.Commands;
using Sr.Models.Training;

namespace Sr.Cli.Tests;

/// <summary>Issue #19: checkpoint period, SIGTERM, training time across resumes, options errors naming the file.</summary>
[Collection("cli")]
public sealed class TrainReliabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-train-rel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Set5 => Path.Combine(CliRunner.SharedData, "Set5");

    [Theory]
    [InlineData("500", 500, -1.0)]
    [InlineData("5m", 0, 5.0)]
    [InlineData(" 0.5m", 0, 0.5)]
    public void Checkpoint_every_reads_steps_or_minutes(string text, int steps, double minutes)
    {
        var period = TrainCommand.ParseCheckpointEvery(text, out var error);
        Assert.Null(error);
        Assert.Equal(steps, period!.Value.Steps);
        Assert.Equal(minutes < 0 ? TimeSpan.MaxValue : TimeSpan.FromMinutes(minutes), period.Value.Interval);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("5s")]
    [InlineData("m")]
    public void A_bad_checkpoint_period_exits_2_naming_it(string text)
    {
        var (code, _, stderr) = CliRunner.Run("train", "--model", "srcnn", "--data", Set5, "--steps", "1", "--checkpoint-every", text, "-o", Path.Combine(_dir, "x.srm"));
        Assert.Equal(2, code);
        Assert.Contains($"error: --checkpoint-every {text}: write a positive number of steps (e.g. 500) or of minutes with an m (e.g. 5m).", stderr);
    }

    [Fact]
    public void Options_file_errors_name_the_file_and_out_of_range_sizes_get_our_message()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{"N1": 64,""");
        var (code, _, stderr) = CliRunner.Run("train", "--model", "srcnn", "--data", Set5, "--steps", "1", "--options", "@" + bad, "-o", Path.Combine(_dir, "x.srm"));
        Assert.Equal(2, code);
        Assert.Contains($"error: --options {bad}: not valid JSON", stderr);

        var negative = Path.Combine(_dir, "negative.json");
        File.WriteAllText(negative, """{"N1": -4}""");
        (code, _, stderr) = CliRunner.Run("train", "--model", "srcnn", "--data", Set5, "--steps", "1", "--options", "@" + negative, "-o", Path.Combine(_dir, "x.srm"));
        Assert.Equal(2, code);
        Assert.Contains($"error: --options {negative}: option 'N1' of model 'srcnn' must be positive (1..4096), got -4", stderr);

        (code, _, stderr) = CliRunner.Run("train", "--model", "vdsr", "--data", Set5, "--steps", "1", "--options", """{"Depth": 70, "Channels": 4096}""", "-o", Path.Combine(_dir, "x.srm"));
        Assert.Equal(2, code);
        Assert.Contains("error: --options: options for model 'vdsr' ×2 describe a network of 10,268,012,545 parameters", stderr);
    }

    /// <summary>Rewrites one metadata entry of a safetensors file (8-byte header length, JSON header, data).</summary>
    private static void SetMetadata(string path, string key, string value)
    {
        var bytes = File.ReadAllBytes(path);
        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject();
        header["__metadata__"]![key] = value;
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var result = new byte[8 + json.Length + (bytes.Length - 8 - (int)n)];
        BinaryPrimitives.WriteInt64LittleEndian(result, json.Length);
        json.CopyTo(result, 8);
        bytes.AsSpan(8 + (int)n).CopyTo(result.AsSpan(8 + json.Length));
        File.WriteAllBytes(path, result);
    }

    [Fact]
    public void A_resumed_model_records_the_training_time_of_the_whole_run()
    {
        var output = Path.Combine(_dir, "t.srm");
        string[] Train(params string[] extra) => ["train", "--model", "srcnn", "--scale", "2", "--data", Set5, "--batch", "2", "--patch", "24", .. extra, "-o", output];
        var (code, stdout, stderr) = CliRunner.Run(Train("--steps", "2"));
        Assert.True(code == 0, stderr + stdout);
        // The first session "took" ten minutes: the resumed model must count them.
        var ckpt = Path.Combine(_dir, "t.ckpt");
        SetMetadata(ckpt, "elapsed_seconds", "600");
        (code, stdout, stderr) = CliRunner.Run("train", "--resume", ckpt, "--steps", "4", "-o", output);
        Assert.True(code == 0, stderr + stdout);
        using var file = ModelFile.Read(output);
        double total = double.Parse(file.Info["training_minutes"], System.Globalization.CultureInfo.InvariantCulture);
        double session = double.Parse(file.Info["training_minutes_this_session"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(session < 5, $"session {session}");
        Assert.Equal(10 + session, total, 0.011);
    }

    [Fact]
    public async Task Sigterm_writes_a_checkpoint_as_ctrl_c_does()
    {
        var output = Path.Combine(_dir, "term.srm");
        var ckpt = Path.Combine(_dir, "term.ckpt");
        var sr = Path.Combine(AppContext.BaseDirectory, "sr.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { sr, "train", "--model", "srcnn", "--scale", "2", "--data", Set5, "--minutes", "10", "--batch", "2", "--patch", "24",
                     "--checkpoint-every", "100000", "-o", output })
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderrTask = p.StandardError.ReadToEndAsync();
        // Wait for the run to start (its first lines), then a little for some steps.
        string? line;
        while ((line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120))) != null && !line.StartsWith("checkpoint ", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        _ = p.StandardOutput.ReadToEndAsync();
        await Task.Delay(3000);
        Assert.False(File.Exists(ckpt)); // no periodic checkpoint yet (every 100,000 steps)
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        var stderr = await stderrTask;
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {stderr}");
        Assert.Contains("cancelled at step", stderr);
        Assert.True(File.Exists(ckpt));
        using var c = Checkpoint.Load(ckpt);
        Assert.True(c.Step >= 1);
    }
}
