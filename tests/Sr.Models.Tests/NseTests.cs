using Sr.Models.Networks.Spsr;
using Sr.Models.Spsr;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class NseTests
{
    [Fact]
    public void Nse_output_is_32_channels_at_a_quarter_resolution()
    {
        using var nse = new NeuralStructureExtractor();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.Equal(new long[] { 2, 32, 16, 12 }, nse.call(rand(2, 3, 64, 48)).shape);
        // six 3×3 convs with bias, 32 channels: 3·32·9 + 32 + 5·(32·32·9 + 32)
        Assert.Equal(896 + 5 * 9_248, nse.ParameterCount());
    }

    [Fact]
    public void Nse_receptive_fields_seven_cells_apart_are_disjoint()
    {
        Assert.Equal(25, NeuralStructureExtractor.ReceptiveField);
        Assert.True(NeuralStructureExtractor.DisjointDistance * NeuralStructureExtractor.Stride >= NeuralStructureExtractor.ReceptiveField);
        Assert.True((NeuralStructureExtractor.DisjointDistance - 1) * NeuralStructureExtractor.Stride < NeuralStructureExtractor.ReceptiveField);
    }

    [Fact]
    public void Nse_receptive_field_is_25_pixels_measured_by_gradients()
    {
        // The gradient of one output feature with respect to the input is non-zero exactly on its receptive field.
        using var nse = new NeuralStructureExtractor();
        using var scope = NewDisposeScope();
        var x = rand(1, 3, 64, 64).requires_grad_();
        var y = nse.call(x);
        y.select(2, 8).select(2, 8).sum().backward();
        var g = x.grad!.abs().sum(1).squeeze(0); // 64×64
        var rows = g.sum(1).gt(0).sum().item<long>();
        var cols = g.sum(0).gt(0).sum().item<long>();
        Assert.Equal(NeuralStructureExtractor.ReceptiveField, rows);
        Assert.Equal(NeuralStructureExtractor.ReceptiveField, cols);
    }

    [Theory]
    [InlineData(ContrastiveSampling.Horizontal)]
    [InlineData(ContrastiveSampling.Vertical)]
    [InlineData(ContrastiveSampling.Cross)]
    public void Contrastive_prediction_loss_is_finite_and_counts_disjoint_negatives(ContrastiveSampling sampling)
    {
        using var task = new ContrastivePrediction(sampling: sampling);
        using var scope = NewDisposeScope();
        var features = rand(2, 32, 20, 20).requires_grad_();
        using var r = task.Compute(features, 3, new Random(1));
        Assert.True(double.IsFinite(r.Loss.item<double>()));
        Assert.Equal(6, r.Count);
        // 400 positions; the target excludes a 13×13 block (itself kept), each context another (clipped at the border):
        // at most 400 − 1 − (2 or 4 contexts)·(partial blocks) remain; at least one negative exists.
        Assert.InRange(r.MeanNegatives, 1, 400 - 169);
        r.Loss.backward();
        Assert.NotNull(features.grad);
    }

    [Fact]
    public void Jigsaw_has_24_permutations_and_a_finite_loss()
    {
        Assert.Equal(24, JigsawPuzzle.Permutations.Count);
        Assert.Equal(24, JigsawPuzzle.Permutations.Select(p => string.Join("", p)).Distinct().Count());
        using var task = new JigsawPuzzle();
        using var scope = NewDisposeScope();
        using var r = task.Compute(rand(2, 32, 12, 12), 4, new Random(1));
        Assert.Equal(8, r.Count);
        Assert.True(double.IsFinite(r.Loss.item<double>()));
    }
}
