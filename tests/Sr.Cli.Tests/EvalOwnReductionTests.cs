using System.Text.Json;
using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Training;
using Sr.Torch;

namespace Sr.Cli.Tests;

/// <summary>`sr eval --degradation own`: RSRNet scored on its own learned LR (the paper's protocol).</summary>
[Collection("cli")]
public sealed class EvalOwnReductionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-eval-own-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (double psnr, string degradation) Eval(string model, string degradation)
    {
        var json = Path.Combine(_dir, $"{degradation}.json");
        var (code, _, stderr) = CliRunner.Run("eval", "--model", model, "--data", Path.Combine(CliRunner.SharedData, "Set5"), "--scale", "2",
            "--degradation", degradation, "--json", json);
        Assert.True(code == 0, stderr);
        var report = JsonNode.Parse(File.ReadAllText(json))!;
        return (report["mean"]!["psnr"]!.GetValue<double>(), report["degradation"]!.GetValue<string>());
    }

    [Fact]
    public void Rsrnet_is_scored_on_its_own_reduction_which_differs_from_bicubic_LR()
    {
        torch.manual_seed(3);
        var model = Path.Combine(_dir, "rsrnet.srm");
        using (var net = new RsrNet(2, new RsrNetOptions { Features = 8, DenseUnits = 1 }))
            ModelFile.Save(model, net, "rsrnet", new JsonObject { ["Features"] = 8, ["DenseUnits"] = 1 });
        var own = Eval(model, "own");
        var bicubic = Eval(model, "bicubic");
        Assert.StartsWith("own (", own.degradation);
        Assert.Equal("bicubic", bicubic.degradation);
        Assert.True(double.IsFinite(own.psnr) && double.IsFinite(bicubic.psnr));
        Assert.NotEqual(bicubic.psnr, own.psnr, 3); // an untrained RRNet is not MATLAB bicubic
    }

    [Fact]
    public void Own_reduction_of_a_method_without_a_learned_down_scaler_is_refused()
    {
        var (code, _, stderr) = CliRunner.Run("eval", "--model", "bicubic", "--data", Path.Combine(CliRunner.SharedData, "Set5"), "--scale", "2", "--degradation", "own");
        Assert.Equal(2, code);
        Assert.Contains("--degradation own needs a network model with a learned down-scaler (rsrnet), not 'bicubic'", stderr);
    }
}
