using Sr.Torch;

namespace Sr.MLNet.Tests;

public class ScopeTests
{
    private readonly SrContext _sr = new(seed: 1);

    [Fact]
    public void Augment_is_training_only_the_fitted_chain_leaves_images_alone_unless_asked_for_training()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((5, 9), (5, 9), (5, 9), (5, 9), (5, 9), (5, 9)));
        var model = _sr.Transforms.ModCrop("HR", "Image", scale: 1).Append(_sr.Transforms.Augment(["HR"], seed: 2)).Fit(data);
        Assert.Equal([TransformerScope.Everything, TransformerScope.Training], model.Scopes);
        var original = TestData.Images(data, "Image");
        var scored = TestData.Images(model.Transform(data), "HR");
        for (int i = 0; i < original.Count; i++) Assert.True(torch.allclose(original[i], scored[i], 0, 0));
        var training = TestData.Images(model.Transform(data, TransformerScope.Training), "HR");
        Assert.Contains(training, t => t.shape[2] == 9); // some rows transposed
        Assert.Contains(training.Zip(original), p => p.First.shape.SequenceEqual(p.Second.shape) && !torch.allclose(p.First, p.Second, 0, 0));
        Assert.Single(model.GetModelFor(TransformerScope.Scoring));
    }

    [Fact]
    public void An_explicit_scope_overrides_the_estimators_own()
    {
        var chain = _sr.Transforms.ModCrop("HR", "Image", 2).Append(_sr.Transforms.Augment(["HR"]), TransformerScope.TrainTest);
        Assert.Equal(TransformerScope.TrainTest, chain.Scopes[1]);
    }

    [Fact]
    public void Augmentation_keeps_columns_of_a_row_aligned()
    {
        var rows = TestData.Rows((4, 6), (4, 6), (4, 6), (4, 6));
        var data = _sr.Data.LoadFromEnumerable(rows);
        var model = _sr.Transforms.ModCrop("A", "Image", 1).Append(_sr.Transforms.ModCrop("B", "Image", 1)).Append(_sr.Transforms.Augment(["A", "B"], seed: 9)).Fit(data);
        var view = model.Transform(data, TransformerScope.Training);
        var a = TestData.Images(view, "A");
        var b = TestData.Images(view, "B");
        for (int i = 0; i < a.Count; i++) Assert.True(torch.allclose(a[i], b[i], 0, 0));
    }
}
