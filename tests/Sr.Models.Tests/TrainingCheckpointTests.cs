using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class TrainingCheckpointTests
{
    [Fact]
    public void A_failed_checkpoint_write_leaves_the_previous_checkpoint_intact_and_no_temporary_file()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "run.ckpt");
        using var net = TrainingFixtures.Net();
        using var optimizer = Trainer.CreateOptimizer(net, new Registry.TrainingRecipe());
        Checkpoint.Save(path, net, optimizer, new Checkpoint.State(5, 1, 1, 5, 1.0));
        var good = File.ReadAllBytes(path);
        using (no_grad()) foreach (var p in net.parameters()) p.add_(1.0);
        var e = Assert.Throws<IOException>(() =>
            Checkpoint.Save(path, net, optimizer, new Checkpoint.State(6, 1, 1, 6, 2.0), null, wrap: s => new TrainingFailingStream(s, 300)));
        Assert.Contains("No space left", e.Message);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir));
        using var loaded = Checkpoint.Load(path);
        Assert.Equal(5, loaded.Step);
    }

    [Fact]
    public void A_checkpoint_round_trips_weights_optimizer_state_and_position()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "run.ckpt");
        var sampler = TrainingFixtures.Sampler();
        using var net = TrainingFixtures.Net();
        new Trainer(net, sampler, new TrainingOptions { Recipe = new Registry.TrainingRecipe { BatchSize = 4, HrPatchSize = 16 }, MaxSteps = 3, CheckpointPath = path, Seed = 42,
            CheckpointMetadata = new Dictionary<string, string> { ["model_name"] = "tiny" } }).Run();
        using var ckpt = Checkpoint.Load(path);
        Assert.Equal((3L, 42L, 3L, 3L), (ckpt.Step, ckpt.Seed, ckpt.SamplerSeed, ckpt.NextBatch));
        Assert.Equal("tiny", ckpt.Metadata["model_name"]);
        var weights = TrainingFixtures.Snapshot(net);
        Assert.Equal(weights.Keys.Order(), ckpt.ModelState.Keys.Order());
        Assert.Equal(3, ckpt.OptimizerState["step"].item<long>());
        Assert.Contains("state.0.0.exp_avg", ckpt.OptimizerState.Keys);
    }

    [Fact]
    public void A_checkpoint_written_before_kinds_existed_loads_and_resumes_as_a_single_network_checkpoint()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "run.ckpt");
        var recipe = new Registry.TrainingRecipe { BatchSize = 4, HrPatchSize = 16 };
        using var net = TrainingFixtures.Net();
        new Trainer(net, TrainingFixtures.Sampler(), new TrainingOptions { Recipe = recipe, MaxSteps = 2, CheckpointPath = path }).Run();
        // The same file as the format had it before: no "kind" entry.
        var legacy = Path.Combine(dir, "legacy.ckpt");
        var metadata = Sr.Torch.Serialization.Safetensors.ReadHeader(path).Metadata.Where(p => p.Key != "kind").ToDictionary(p => p.Key, p => p.Value);
        var tensors = Sr.Torch.Serialization.Safetensors.LoadStateDict(path);
        Sr.Torch.Serialization.Safetensors.SaveStateDict(legacy, tensors, metadata);
        foreach (var t in tensors.Values) t.Dispose();

        using (var ckpt = Checkpoint.Load(legacy))
        {
            Assert.Equal(Checkpoint.NetworkKind, ckpt.Kind);
            Assert.Equal(new[] { "model", "optim" }, ckpt.PartNames.Order(StringComparer.Ordinal));
            Assert.Equal(TrainingFixtures.Snapshot(net).Keys.Order(), ckpt.ModelState.Keys.Order());
        }
        var resumed = new Trainer(net, TrainingFixtures.Sampler(), new TrainingOptions { Recipe = recipe, MaxSteps = 3, ResumeFrom = legacy }).Run();
        Assert.Equal(3, resumed.Step);
    }

    [Fact]
    public void Loading_a_truncated_or_foreign_file_names_the_file_and_the_problem()
    {
        var dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "run.ckpt");
        using var net = TrainingFixtures.Net();
        using var optimizer = Trainer.CreateOptimizer(net, new Registry.TrainingRecipe());
        Checkpoint.Save(path, net, optimizer, new Checkpoint.State(1, 1, 1, 1, 0));
        var bytes = File.ReadAllBytes(path);
        var truncated = Path.Combine(dir, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<Sr.Torch.Serialization.WeightsFormatException>(() => Checkpoint.Load(truncated));
        Assert.Contains(truncated, e.Message);
        Assert.Contains("truncated", e.Message);
        var foreign = Path.Combine(dir, "foreign.ckpt");
        File.WriteAllText(foreign, "PK this is not a checkpoint at all");
        Assert.Contains(foreign, Assert.Throws<Sr.Torch.Serialization.WeightsFormatException>(() => Checkpoint.Load(foreign)).Message);
        var model = Path.Combine(dir, "m.srm");
        ModelFile.Save(model, net, "tiny");
        Assert.Contains("not an SrMlNet checkpoint", Assert.Throws<Sr.Torch.Serialization.WeightsFormatException>(() => Checkpoint.Load(model)).Message);
    }
}
