using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Tests;

public class TrainingObjectiveTests
{
    [Fact]
    public void The_default_objective_follows_what_the_network_is()
    {
        var recipe = new TrainingRecipe { Loss = LossKind.L1 };
        using var tiny = TrainingFixtures.Net();
        using var rsr = new RsrNet(2, new RsrNetOptions { Features = 8 });
        using var lsp = new LspHsp(2, new LspHspOptions { Features = 8, ShepardChannels = 4 });
        Assert.IsType<PixelLossObjective>(Trainer.DefaultObjective(tiny, recipe));
        Assert.IsType<SynchronousReductionObjective>(Trainer.DefaultObjective(rsr, recipe));
        Assert.IsType<BoundaryObjective>(Trainer.DefaultObjective(lsp, recipe));
    }

    [Fact]
    public void Rsrnet_in_synchrony_is_scored_on_hr_through_its_own_down_scaler_and_a_few_steps_lower_that_loss()
    {
        var sampler = TrainingFixtures.Sampler(batch: 4, hrPatch: 16);
        manual_seed(5);
        using var rsr = new RsrNet(2, new RsrNetOptions { Features = 8 });
        var objective = new SynchronousReductionObjective(LossKind.L1);
        var held = sampler.GetBatch(500);
        double Loss()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (lr, hr) = held.ToTensors();
            double viaObjective = objective.Loss(rsr, lr * double.NaN, hr).item<double>(); // the LR input must not be used
            Assert.Equal(F.l1_loss(rsr.ReduceAndSuperResolve(hr), hr).item<double>(), viaObjective, 12);
            return viaObjective;
        }
        double before = Loss();
        new Trainer(rsr, sampler, new TrainingOptions { Recipe = new TrainingRecipe { LearningRate = 1e-3, BatchSize = 4, HrPatchSize = 16 }, MaxSteps = 12 }).Run();
        double after = Loss();
        Assert.True(after < before, $"HR→LR→HR L1 went from {before} to {after}");
    }

    [Fact]
    public void Lsp_hsp_adds_the_alpha_weighted_boundary_term_and_alpha_zero_leaves_the_image_term_alone()
    {
        manual_seed(6);
        using var hsp = new LspHsp(2, new LspHspOptions { Features = 8, ShepardChannels = 4, BoundaryWeight = 0.5 });
        using var lsp = new LspHsp(2, new LspHspOptions { Features = 8, ShepardChannels = 4, BoundaryWeight = 0 });
        lsp.load_state_dict(hsp.state_dict());
        var batch = TrainingFixtures.Sampler().GetBatch(0);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (lr, hr) = batch.ToTensors();
        var (image, boundary) = ((IBoundaryNetwork)hsp).ForwardWithBoundary(lr);
        double imageTerm = F.mse_loss(image, hr).item<double>();
        double boundaryTerm = F.mse_loss(boundary, BoundaryMaps.FromEdges(hr) * 0.5).item<double>();
        Assert.Equal(imageTerm + boundaryTerm, new BoundaryObjective().Loss(hsp, lr, hr).item<double>(), 7); // float32 sum: ulp(0.4) ≈ 3e-8
        Assert.Equal(imageTerm, new BoundaryObjective().Loss(lsp, lr, hr).item<double>(), 9);
    }
}
