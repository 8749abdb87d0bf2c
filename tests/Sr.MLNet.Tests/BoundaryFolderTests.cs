using Sr.Torch;
using Sr.Torch.io;

namespace Sr.MLNet.Tests;

/// <summary>SuperResolve's BoundaryFolder: lsp-hsp's boundary maps from files in the pipeline, as `sr train --boundaries`.</summary>
public sealed class BoundaryFolderTests : IDisposable
{
    private readonly SrContext _sr = new(seed: 1);
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-pipeline-boundaries-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Maps => Path.Combine(_dir, "boundaries");

    /// <summary>Two 41×40 gray images (41 rows: the ×2 mod-crop drops one) and a boundary map of the same size for each.</summary>
    private IDataView Data()
    {
        Directory.CreateDirectory(Maps);
        var random = new Random(4);
        foreach (var name in new[] { "a", "b" })
        {
            var px = new byte[41 * 40];
            random.NextBytes(px);
            using (var image = torch.tensor(px, [41, 40, 1])) ImageFile.Write(Path.Combine(_dir, name + ".png"), image);
            random.NextBytes(px);
            using (var map = torch.tensor(px, [41, 40, 1])) ImageFile.Write(Path.Combine(Maps, name + ".png"), map);
        }
        return _sr.Data.LoadImages(_dir);
    }

    private IEstimator<ITransformer> Pipeline(string model, bool patches = false)
    {
        var chain = _sr.Transforms.ConvertToYCbCr("Y", "Image")
            .Append(_sr.Transforms.ModCrop("HR", "Y", scale: 2))
            .Append(_sr.Transforms.Degrade("LR", "HR", scale: 2));
        var options = new SuperResolutionEstimator.Options
        {
            ModelName = model, Scale = 2, MaxSteps = 2, BatchSize = 2, HrPatchSize = 16, BoundaryFolder = Maps,
            NetworkOptions = model == "lsp-hsp" ? new System.Text.Json.Nodes.JsonObject { ["Features"] = 8, ["ShepardChannels"] = 4 } : null,
        };
        if (!patches) return chain.Append(_sr.Transforms.SuperResolve(options));
        options.TrainingInputColumnName = "LRPatch";
        options.TrainingLabelColumnName = "HRPatch";
        return chain.Append(_sr.Transforms.ExtractPatches("LRPatch", "HRPatch", "LR", "HR", scale: 2, patchSize: 8, stride: 8))
            .Append(_sr.Transforms.SuperResolve(options));
    }

    [Fact]
    public void Lsp_hsp_trains_on_the_maps_of_whole_mod_cropped_images()
    {
        var data = Data();
        using var model = (IDisposable)Pipeline("lsp-hsp").Fit(data);
        Assert.NotNull(model);
    }

    [Fact]
    public void A_missing_map_patches_and_a_network_without_a_boundary_output_are_refused_with_the_reason()
    {
        var data = Data();
        var e = Assert.ThrowsAny<Exception>(() => Pipeline("lsp-hsp", patches: true).Fit(data));
        Assert.Contains("not ExtractPatches patches", e.Message);
        Assert.Contains(Path.Combine(Maps, "a.png"), e.Message);

        var wrong = Assert.ThrowsAny<Exception>(() => Pipeline("rsrnet-sr").Fit(data));
        Assert.Contains("boundary maps", wrong.Message);

        File.Delete(Path.Combine(Maps, "b.png"));
        var missing = Assert.Throws<FileNotFoundException>(() => Pipeline("lsp-hsp").Fit(data));
        Assert.Contains("no boundary map for b.png", missing.Message);
    }
}
