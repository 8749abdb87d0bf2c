using Sr.Models.Imaging;
using Sr.Models.Training;
using Sr.Torch;
using Sr.Torch.io;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Models.Tests;

public class TrainingSamplerTests
{
    private static void AssertPatchesAligned(PatchSampler sampler, long index, int margin, double tolerance)
    {
        using var scope = NewDisposeScope();
        var (lr, hr) = sampler.GetBatch(index).ToTensors();
        Assert.Equal(new long[] { sampler.BatchSize, 1, sampler.LrPatchSize, sampler.LrPatchSize }, lr.shape);
        Assert.Equal(new long[] { sampler.BatchSize, 1, sampler.HrPatchSize, sampler.HrPatchSize }, hr.shape);
        var expected = margin == 0 ? F.avg_pool2d(hr, sampler.Scale) : ResizeDegradation.Bicubic.Apply(hr, sampler.Scale);
        long p = sampler.LrPatchSize;
        var a = lr.narrow(2, margin, p - 2 * margin).narrow(3, margin, p - 2 * margin);
        var b = expected.narrow(2, margin, p - 2 * margin).narrow(3, margin, p - 2 * margin);
        double maxDiff = (a - b).abs().max().item<double>();
        Assert.True(maxDiff <= tolerance, $"batch {index}: LR patch differs from the degraded HR patch by {maxDiff}");
    }

    [Fact]
    public void Lr_patch_equals_the_degradation_of_its_hr_patch()
    {
        // Box downscaling is exactly local, so equality must hold on every pixel.
        var sampler = TrainingFixtures.Sampler(new TrainingBoxDegradation(), augment: false);
        for (long k = 0; k < 5; k++) AssertPatchesAligned(sampler, k, margin: 0, tolerance: 1e-6);
    }

    [Fact]
    public void Augmented_lr_and_hr_patches_stay_aligned()
    {
        var sampler = TrainingFixtures.Sampler(new TrainingBoxDegradation(), augment: true, batch: 16);
        for (long k = 0; k < 5; k++) AssertPatchesAligned(sampler, k, margin: 0, tolerance: 1e-6);
    }

    [Fact]
    public void With_bicubic_the_lr_patch_matches_the_bicubic_of_its_hr_patch_away_from_the_patch_border()
    {
        // The whole image is degraded once (MATLAB imresize); inside the patch, beyond the kernel's reach (8 taps at ×2 =
        // 2 LR pixels), the pixels are those of degrading the patch alone.
        var sampler = TrainingFixtures.Sampler(ResizeDegradation.Bicubic, augment: true, batch: 8, hrPatch: 24);
        for (long k = 0; k < 3; k++) AssertPatchesAligned(sampler, k, margin: 3, tolerance: 1e-5);
    }

    [Fact]
    public void The_eight_dihedral_transforms_are_distinct_and_commute_with_aligned_downscaling()
    {
        const int s = 2, p = 4;
        var hr = Enumerable.Range(0, 2 * p * s * p * s).Select(i => (float)Math.Sin(i * 0.37) + i * 0.01f).ToArray(); // 2 planes, asymmetric
        using var hrT = torch.tensor(hr, [1, 2, p * s, p * s]);
        using var lrT = F.avg_pool2d(hrT, s);
        var lr = lrT.data<float>();
        var seen = new List<float[]>();
        for (int code = 0; code < 8; code++)
        {
            var hrPatch = new float[2 * p * s * p * s];
            var lrPatch = new float[2 * p * p];
            DihedralTransform.CropTransformed(hr, 2, p * s, p * s, 0, 0, p * s, code, hrPatch);
            DihedralTransform.CropTransformed(lr, 2, p, p, 0, 0, p, code, lrPatch);
            using var hrPatchT = torch.tensor(hrPatch, [1, 2, p * s, p * s]);
            using var pooled = F.avg_pool2d(hrPatchT, s);
            var pooledData = pooled.data<float>();
            for (int i = 0; i < lrPatch.Length; i++) Assert.Equal(lrPatch[i], pooledData[i], 5);
            Assert.DoesNotContain(seen, other => other.SequenceEqual(hrPatch));
            seen.Add(hrPatch);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_another_seed_does_not()
    {
        var images = TrainingFixtures.SmoothImages(3, 48);
        try
        {
            PatchSampler Make(long seed) => PatchSampler.FromImages(images, 2, new TrainingBoxDegradation(), new PatchSamplerOptions { BatchSize = 4, HrPatchSize = 16, Seed = seed });
            var a = Make(5);
            var b = Make(5);
            var c = Make(6);
            for (long k = 0; k < 4; k++)
            {
                Assert.Equal(a.GetBatch(k).Hr, b.GetBatch(k).Hr);
                Assert.Equal(a.GetBatch(k).Lr, b.GetBatch(k).Lr);
                Assert.NotEqual(a.GetBatch(k).Hr, c.GetBatch(k).Hr);
            }
            Assert.NotEqual(a.GetBatch(0).Hr, a.GetBatch(1).Hr);
        }
        finally
        {
            foreach (var t in images) t.Dispose();
        }
    }

    [Fact]
    public void Batch_k_does_not_depend_on_the_batches_drawn_before_it()
    {
        var sampler = TrainingFixtures.Sampler();
        var direct = sampler.GetBatch(9).Hr;
        for (long k = 0; k < 9; k++) sampler.GetBatch(k);
        Assert.Equal(direct, sampler.GetBatch(9).Hr);
    }

    [Fact]
    public void Prefetcher_delivers_batches_in_order_from_its_start_and_rethrows_a_producer_failure()
    {
        var sampler = TrainingFixtures.Sampler();
        using (var prefetcher = new BatchPrefetcher(sampler.GetBatch, start: 7, capacity: 2))
        {
            for (long k = 7; k < 12; k++)
            {
                var batch = prefetcher.Take();
                Assert.Equal(k, batch.Index);
                Assert.Equal(sampler.GetBatch(k).Lr, batch.Lr);
            }
        }
        using var failing = new BatchPrefetcher(k => k < 2 ? sampler.GetBatch(k) : throw new InvalidDataException("broken image"), 0, 4);
        failing.Take();
        failing.Take();
        Assert.Equal("broken image", Assert.Throws<InvalidDataException>(() => failing.Take()).Message);
    }

    [Fact]
    public void Images_smaller_than_a_patch_are_skipped_and_none_usable_is_an_error_naming_the_source()
    {
        using var small = torch.rand(1, 10, 10);
        using var big = torch.rand(1, 40, 40);
        var sampler = PatchSampler.FromImages([small, big], 2, new TrainingBoxDegradation(), new PatchSamplerOptions { HrPatchSize = 16, BatchSize = 2 });
        Assert.Equal(1, sampler.ImageCount);
        Assert.Contains("image 0", Assert.Single(sampler.Skipped));
        var e = Assert.Throws<ArgumentException>(() => PatchSampler.FromImages([small], 2, new TrainingBoxDegradation(), new PatchSamplerOptions { HrPatchSize = 16 }));
        Assert.Contains("no usable training image", e.Message);
    }

    [Fact]
    public void Folder_images_become_matlab_bt601_luma_mod_cropped_to_the_scale()
    {
        var dir = TrainingFixtures.TempDir();
        // 35×33 image: left third white, middle black, right pure red — Y₂₅₅ is 235, 16 and 81 (MATLAB rgb2ycbcr, rounded).
        var pixels = new byte[33 * 35 * 3];
        for (int y = 0; y < 33; y++)
            for (int x = 0; x < 35; x++)
            {
                int i = (y * 35 + x) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = x < 12 ? ((byte)255, (byte)255, (byte)255) : x < 24 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)0, (byte)0);
            }
        using (var t = torch.tensor(pixels, [33, 35, 3])) ImageFile.Write(Path.Combine(dir, "a.png"), t);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");
        var sampler = PatchSampler.FromFolder(dir, 3, ColorSpace.Y, new TrainingBoxDegradation(), new PatchSamplerOptions { HrPatchSize = 12, BatchSize = 1 });
        var (lr, hr) = sampler.GetImage(0);
        using (lr)
        using (hr)
        {
            Assert.Equal(new long[] { 1, 1, 33, 33 }, hr.shape);
            Assert.Equal(235.0 / 255, hr[0][0][5][0].item<float>(), 6);
            Assert.Equal(16.0 / 255, hr[0][0][5][15].item<float>(), 6);
            Assert.Equal(81.0 / 255, hr[0][0][5][30].item<float>(), 6);
        }
        Assert.Throws<DirectoryNotFoundException>(() => PatchSampler.FromFolder(Path.Combine(dir, "missing"), 2, ColorSpace.Y, new TrainingBoxDegradation()));
    }
}
