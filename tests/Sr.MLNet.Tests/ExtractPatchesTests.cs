using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet.Tests;

public class ExtractPatchesTests
{
    private readonly SrContext _sr = new(seed: 1);

    public sealed class PairRow
    {
        public string Name { get; set; } = "";
        public SrImage? LR { get; set; }
        public SrImage? HR { get; set; }
    }

    /// <summary>An HR image whose pixel value encodes its position, and its LR = every s-th pixel, so alignment is checkable.</summary>
    private static PairRow Pair(string name, int lh, int lw, int s)
    {
        var hr = torch.arange(0, lh * s * lw * s, 1, ScalarType.Float32).reshape(1, 1, lh * s, lw * s).div(1e6);
        var lr = hr.slice(2, 0, lh * s, s).slice(3, 0, lw * s, s).contiguous();
        return new PairRow { Name = name, LR = new SrImage(lr, ColorSpace.Y), HR = new SrImage(hr, ColorSpace.Y) };
    }

    [Fact]
    public void Patches_cover_a_stride_grid_and_LR_and_HR_patches_are_aligned()
    {
        // LR 10×13, patch 4, stride 3: rows at 0,3,6 (3) × columns at 0,3,6,9 (4) = 12 patches.
        var data = _sr.Data.LoadFromEnumerable([Pair("a", 10, 13, 2)]);
        var patches = _sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR", scale: 2, patchSize: 4, stride: 3).Fit(data).Transform(data);
        Assert.Null(patches.GetRowCount());
        Assert.Equal(new ImageDataViewType(4, 4), patches.Schema["LRPatch"].Type);
        Assert.Equal(new ImageDataViewType(8, 8), patches.Schema["HRPatch"].Type);
        var lr = TestData.Images(patches, "LRPatch");
        var hr = TestData.Images(patches, "HRPatch");
        Assert.Equal(12, lr.Count);
        for (int i = 0; i < lr.Count; i++)
        {
            using var sub = hr[i].slice(2, 0, 8, 2).slice(3, 0, 8, 2);
            Assert.True(torch.allclose(lr[i], sub, 0, 0));
        }
        // The last patch starts at LR (6, 9) → HR (12, 18): value 12·26 + 18.
        Assert.Equal((12 * 26 + 18) / 1e6, hr[^1].select(2, 0).select(2, 0).item<double>(), 6);
    }

    [Fact]
    public void Other_columns_pass_through_for_every_patch_of_their_row()
    {
        var data = _sr.Data.LoadFromEnumerable([Pair("a", 4, 4, 2), Pair("b", 4, 8, 2)]);
        var patches = _sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR", scale: 2, patchSize: 4, stride: 4).Fit(data).Transform(data);
        var names = _sr.Data.CreateEnumerable<NameRow>(patches, false).Select(r => r.Name);
        Assert.Equal(["a", "b", "b"], names);
    }

    [Fact]
    public void Misaligned_sizes_are_an_error_naming_both_columns()
    {
        var row = Pair("a", 4, 4, 2);
        var data = _sr.Data.LoadFromEnumerable([row]);
        var patches = _sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR", scale: 3, patchSize: 2, stride: 2).Fit(data).Transform(data);
        var e = Assert.Throws<InvalidOperationException>(() => TestData.Images(patches, "LRPatch"));
        Assert.Contains("HR 'HR' is 8×8 but LR 'LR' is 4×4", e.Message);
    }

    [Fact]
    public void Patch_extraction_is_training_only_in_a_fitted_chain()
    {
        var data = _sr.Data.LoadFromEnumerable([Pair("a", 8, 8, 2)]);
        var model = _sr.Transforms.ModCrop("HR2", "HR", 2).Append(_sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR2", scale: 2, patchSize: 4, stride: 4)).Fit(data);
        Assert.Equal(TransformerScope.Training, model.Scopes[1]);
        var scored = model.Transform(data);
        Assert.Null(scored.Schema.GetColumnOrNull("LRPatch"));
        Assert.Equal(1, scored.GetRowCount());
        Assert.Equal(4, _sr.Data.CreateEnumerable<NameRow>(model.Transform(data, TransformerScope.Training), false).Count());
    }

    public sealed class NameRow
    {
        public string Name { get; set; } = "";
    }
}
