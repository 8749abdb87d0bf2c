using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;
using Sr.Torch.io;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Tests;

/// <summary>LSP-HSP's boundary targets from files (BSDS500-style annotations): found by name, checked, and cut with the HR patch.</summary>
public sealed class TrainingBoundaryFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-boundaries-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] RandomBytes(int n, int seed)
    {
        var px = new byte[n];
        new Random(seed).NextBytes(px);
        return px;
    }

    /// <summary>Writes gray training images into data/ and, for each, a boundary map into data/boundaries/.</summary>
    private (string data, string boundaries) WriteSet(int count, int h, int w, bool boundaryEqualsImage = true)
    {
        string data = Path.Combine(_dir, "data"), boundaries = Path.Combine(data, BoundaryMaps.DefaultFolderName);
        Directory.CreateDirectory(boundaries);
        for (int i = 0; i < count; i++)
        {
            var px = RandomBytes(h * w, i + 1);
            using var image = tensor(px, [h, w, 1]);
            ImageFile.Write(Path.Combine(data, $"img{i}.png"), image);
            using var map = boundaryEqualsImage ? image.alias() : tensor(RandomBytes(h * w, 100 + i), [h, w, 1]);
            ImageFile.Write(Path.Combine(boundaries, $"img{i}.png"), map);
        }
        return (data, boundaries);
    }

    private static PatchSampler Sampler(string data, string? boundaries, bool augment = true, int batch = 8) =>
        PatchSampler.FromFolder(data, 2, ColorSpace.Y, Sr.Models.Imaging.ResizeDegradation.Bicubic,
            new PatchSamplerOptions { BatchSize = batch, HrPatchSize = 16, Augment = augment, Seed = 4, BoundaryFolder = boundaries });

    [Fact]
    public void Boundary_patches_are_cut_and_transformed_exactly_as_their_hr_patches()
    {
        // Each boundary file holds the same pixels as its (gray) training image, so under every flip/rotation and position
        // the boundary batch must equal the HR batch value for value. Images of different sizes check the per-image layout.
        var (data, boundaries) = WriteSet(3, 37, 29);
        var sampler = Sampler(data, boundaries);
        Assert.True(sampler.HasBoundaries);
        for (long k = 0; k < 20; k++)
        {
            var batch = sampler.GetBatch(k);
            Assert.NotNull(batch.Boundary);
            Assert.Equal(batch.Hr, batch.Boundary);
        }
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 8, 1, 16, 16 }, sampler.GetBatch(0).BoundaryTensor()!.shape);
    }

    [Fact]
    public void Without_a_boundary_folder_batches_carry_no_boundaries()
    {
        var (data, _) = WriteSet(2, 32, 32);
        var sampler = Sampler(data, null);
        Assert.False(sampler.HasBoundaries);
        Assert.Null(sampler.GetBatch(0).Boundary);
        Assert.Null(sampler.GetBatch(0).BoundaryTensor());
    }

    [Fact]
    public void A_missing_boundary_file_is_named()
    {
        var (data, boundaries) = WriteSet(3, 32, 32);
        File.Delete(Path.Combine(boundaries, "img1.png"));
        var e = Assert.Throws<FileNotFoundException>(() => Sampler(data, boundaries));
        Assert.Contains(boundaries, e.Message);
        Assert.Contains("1 of 3 training images (img1.png)", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => Sampler(data, Path.Combine(_dir, "nowhere")));
    }

    [Fact]
    public void A_boundary_map_of_another_size_or_in_colour_is_refused_naming_the_file()
    {
        var (data, boundaries) = WriteSet(2, 32, 32);
        var wrong = Path.Combine(boundaries, "img0.png");
        using (var small = tensor(RandomBytes(30 * 32, 9), [30, 32, 1])) ImageFile.Write(wrong, small);
        var e = Assert.Throws<InvalidDataException>(() => Sampler(data, boundaries));
        Assert.Contains(wrong, e.Message);
        Assert.Contains("is 32×30, but its training image is 32×32", e.Message);

        using (var colour = tensor(RandomBytes(32 * 32 * 3, 10), [32, 32, 3])) ImageFile.Write(wrong, colour);
        e = Assert.Throws<InvalidDataException>(() => Sampler(data, boundaries));
        Assert.Contains(wrong, e.Message);
        Assert.Contains("colour image", e.Message);

        // An RGB file whose channels are equal is a gray map saved as RGB: accepted.
        using (var gray = tensor(RandomBytes(32 * 32, 11), [32, 32, 1]))
        using (var rgb = gray.expand(32, 32, 3).contiguous()) ImageFile.Write(wrong, rgb);
        Assert.True(Sampler(data, boundaries).HasBoundaries);
    }

    [Fact]
    public void The_objective_regresses_alpha_times_the_file_boundaries_instead_of_edges()
    {
        var (data, boundaries) = WriteSet(2, 32, 32, boundaryEqualsImage: false);
        var batch = Sampler(data, boundaries, batch: 2).GetBatch(3);
        manual_seed(6);
        using var hsp = new LspHsp(2, new LspHspOptions { Features = 8, ShepardChannels = 4, BoundaryWeight = 0.5 });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (lr, hr) = batch.ToTensors();
        var target = batch.BoundaryTensor()!;
        var (image, boundary) = ((IBoundaryNetwork)hsp).ForwardWithBoundary(lr);
        double expected = F.mse_loss(image, hr).item<double>() + F.mse_loss(boundary, target * 0.5).item<double>();
        var objective = new BoundaryObjective();
        Assert.Equal(expected, objective.Loss(hsp, lr, hr, target).item<double>(), 7);
        // The random maps are not the Sobel edges of the patch, so the two targets give different losses.
        Assert.NotEqual(objective.Loss(hsp, lr, hr, null).item<double>(), objective.Loss(hsp, lr, hr, target).item<double>(), 4);
    }

    [Fact]
    public void Lsp_hsp_trains_on_file_boundaries_and_other_networks_refuse_them()
    {
        var (data, boundaries) = WriteSet(2, 32, 32, boundaryEqualsImage: false);
        var sampler = Sampler(data, boundaries, batch: 2);
        var options = new TrainingOptions { Recipe = new TrainingRecipe { LearningRate = 1e-4, BatchSize = 2, HrPatchSize = 16 }, MaxSteps = 2 };
        manual_seed(1);
        using var hsp = new LspHsp(2, new LspHspOptions { Features = 8, ShepardChannels = 4 });
        var result = new Trainer(hsp, sampler, options).Run();
        Assert.Equal(2, result.Step);
        Assert.True(double.IsFinite(result.LastLoss));
        using var srcnn = ModelRegistry.Get("srcnn").Create(2, null);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(srcnn, sampler, options));
        Assert.Contains("boundary maps", e.Message);
    }
}
