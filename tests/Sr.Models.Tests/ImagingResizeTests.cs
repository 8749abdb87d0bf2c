using Sr.Models.Imaging;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Models.Tests;

public class ImagingResizeTests
{
    // Interior rows of the weight matrices against the test vectors of sr-reference-implementations.md §6.2
    // (MATLAB's algorithm, 1-based indices, 6 decimals).
    private static double[] Row(double[] w, int inLen, int oneBasedOut) => w.AsSpan((oneBasedOut - 1) * inLen, inLen).ToArray();

    private static void AssertTaps(double[] expected, double[] row, int[] oneBasedIdx)
    {
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], row[oneBasedIdx[k] - 1], 5e-7 + 1e-12); // vectors have 6 decimals
        double rest = row.Where((_, i) => !oneBasedIdx.Contains(i + 1)).Sum(Math.Abs);
        Assert.Equal(0, rest, 12);
    }

    [Fact]
    public void Cubic_down_x2_taps_match_the_reference_vector()
    {
        var row = Row(MatlabResize.Weights(32, 16, 0.5), 32, 8); // u = 15.5: taps 12..19
        AssertTaps([-0.011719, -0.035156, 0.113281, 0.433594, 0.433594, 0.113281, -0.035156, -0.011719], row, [12, 13, 14, 15, 16, 17, 18, 19]);
    }

    [Fact]
    public void Cubic_down_x3_taps_match_the_reference_vector_with_exact_zeros_at_11_and_17()
    {
        var row = Row(MatlabResize.Weights(30, 10, 1.0 / 3), 30, 5); // u = 14
        AssertTaps([-0.012346, -0.024691, 0.111111, 0.259259, 0.333333, 0.259259, 0.111111, -0.024691, -0.012346], row, [9, 10, 12, 13, 14, 15, 16, 18, 19]);
        Assert.Equal(0.0, row[10]);
        Assert.Equal(0.0, row[16]);
    }

    [Fact]
    public void Cubic_down_x4_has_sixteen_symmetric_taps_matching_the_reference_vector()
    {
        var row = Row(MatlabResize.Weights(64, 16, 0.25), 64, 8); // u = 30.5: taps 23..38
        double[] half = [-0.001709, -0.010986, -0.018311, -0.011963, 0.022705, 0.097412, 0.181885, 0.240967];
        AssertTaps([.. half, .. half.Reverse()], row, Enumerable.Range(23, 16).ToArray());
    }

    [Fact]
    public void Cubic_up_x2_output_5_uses_inputs_1_to_4_with_the_reference_taps()
    {
        var row = Row(MatlabResize.Weights(8, 16, 2), 8, 5); // u = 2.75
        AssertTaps([-0.023438, 0.226562, 0.867188, -0.070312], row, [1, 2, 3, 4]);
    }

    [Theory]
    [InlineData(17, 6, 1.0 / 3, ResizeKernel.Cubic, ResizeBorder.Symmetric)]
    [InlineData(17, 6, 1.0 / 3, ResizeKernel.Cubic, ResizeBorder.Replicate)]
    [InlineData(10, 40, 4.0, ResizeKernel.Cubic, ResizeBorder.Symmetric)]
    [InlineData(100, 7, 0.07, ResizeKernel.Triangle, ResizeBorder.Symmetric)]
    [InlineData(9, 27, 3.0, ResizeKernel.Triangle, ResizeBorder.Replicate)]
    [InlineData(12, 4, 1.0 / 3, ResizeKernel.Box, ResizeBorder.Symmetric)]
    [InlineData(12, 5, 5.0 / 12, ResizeKernel.Nearest, ResizeBorder.Symmetric)]
    public void Every_weight_row_sums_to_one(int inLen, int outLen, double scale, ResizeKernel kernel, ResizeBorder border)
    {
        var w = MatlabResize.Weights(inLen, outLen, scale, kernel, border);
        for (int r = 0; r < outLen; r++) Assert.Equal(1.0, Row(w, inLen, r + 1).Sum(), 12);
    }

    [Fact]
    public void Nearest_down_x3_picks_the_centre_sample_and_box_down_x3_averages()
    {
        var nearest = MatlabResize.Weights(9, 3, 1.0 / 3, ResizeKernel.Nearest, antialias: false);
        Assert.Equal(1.0, Row(nearest, 9, 2)[4]); // MATLAB: u = 3x − 1 → sample 5 for x = 2
        var box = MatlabResize.Weights(9, 3, 1.0 / 3, ResizeKernel.Box);
        var row = Row(box, 9, 2);
        for (int i = 0; i < 9; i++) Assert.Equal(i is >= 3 and <= 5 ? 1 / 3.0 : 0, row[i], 1e-12);
    }

    [Fact]
    public void Banded_resize_of_a_wide_image_equals_the_dense_matrix_product()
    {
        // 1200 wide → the plan is cut into bands; compare with the dense weight matrix applied directly.
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var x = torch.rand([1, 2, 40, 1200], ScalarType.Float64);
        var y = MatlabResize.Downscale(x, 3);
        var wh = torch.tensor(MatlabResize.Weights(40, 14, 1.0 / 3), [14, 40]);
        var ww = torch.tensor(MatlabResize.Weights(1200, 400, 1.0 / 3), [400, 1200]);
        var dense = wh.matmul(x).matmul(ww.t());
        Assert.Equal([1L, 2, 14, 400], y.shape);
        Assert.True(y.sub(dense).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void Upscale_of_a_constant_image_stays_constant_and_size_is_scale_times()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.full([2, 3, 7, 5], 0.25);
        var y = MatlabResize.Upscale(x, 3);
        Assert.Equal([2L, 3, 21, 15], y.shape);
        Assert.True(y.sub(0.25).abs().max().item<double>() < 1e-6);
    }

    public static TheoryData<string, int, ResizeBorder> LrFileSets => new()
    {
        { "Set5/matlab_lr_x{0}", 2, ResizeBorder.Replicate },
        { "Set5/matlab_lr_x{0}", 3, ResizeBorder.Replicate },
        { "Set5/matlab_lr_x{0}", 4, ResizeBorder.Replicate },
        { "Set5/matlab_lr_x{0}_swinir", 2, ResizeBorder.Symmetric },
        { "Set5/matlab_lr_x{0}_swinir", 3, ResizeBorder.Symmetric },
        { "Set5/matlab_lr_x{0}_swinir", 4, ResizeBorder.Symmetric },
        { "Set14/matlab_lr_x{0}", 2, ResizeBorder.Replicate },
        { "Set14/matlab_lr_x{0}", 3, ResizeBorder.Replicate },
        { "Set14/matlab_lr_x{0}", 4, ResizeBorder.Replicate },
    };

    /// <summary>(max |difference| in levels, differing values, total values) of our imresize(HR, 1/s) against MATLAB's files.</summary>
    internal static (int Max, long Differing, long Total) CompareWithMatlabFiles(string folderPattern, int scale, ResizeBorder border, bool roundEachPass = true)
    {
        bool set5 = folderPattern.StartsWith("Set5", StringComparison.Ordinal);
        var names = set5 ? ImagingTestData.Set5Names : ImagingTestData.Set14Names;
        var folder = ImagingTestData.Path(string.Format(System.Globalization.CultureInfo.InvariantCulture, folderPattern, scale).Split('/'));
        var options = new ResizeOptions { Border = border, RoundEachPassToUint8 = roundEachPass, Peak = 255 };
        int max = 0;
        long differing = 0, total = 0;
        for (int i = 0; i < names.Length; i++)
        {
            var lrName = folder.EndsWith("_swinir", StringComparison.Ordinal) ? $"{names[i]}x{scale}.png" : $"img_{i + 1:000}_SRF_{scale}_LR.png";
            using var scope = torch.NewDisposeScope();
            using var hr = ImageFile.Read(ImagingTestData.Path(set5 ? "Set5" : "Set14", names[i] + ".png"));
            using var lr = ImageFile.Read(System.IO.Path.Combine(folder, lrName));
            var ours = MatlabResize.Downscale(ImageTensor.ModCrop(ImageTensor.FromHwcUint8(hr.Pixels, ScalarType.Float64, peak: 255), scale), scale, options);
            var theirs = ImageTensor.FromHwcUint8(lr.Pixels, ScalarType.Float64, peak: 255);
            Assert.Equal(theirs.shape, ours.shape);
            var diff = ours.sub(theirs).abs();
            max = Math.Max(max, (int)diff.max().item<double>());
            differing += diff.gt(0).sum().item<long>();
            total += diff.numel();
        }
        return (max, differing, total);
    }

    [Theory]
    [MemberData(nameof(LrFileSets))]
    public void Imresize_with_matching_border_and_uint8_passes_reproduces_the_MATLAB_LR_files_bit_for_bit(string folder, int scale, ResizeBorder border)
    {
        var (max, differing, total) = CompareWithMatlabFiles(folder, scale, border);
        Assert.True(total > 0);
        Assert.Equal((0, 0L), (max, differing));
    }
}
