using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

public class NetworksLspHspTests
{
    // Our sizes (the paper's table is missing): features 5·5·1·64 + 64 = 1,664; Shepard kernel (2s+1)², 64→32:
    // 32·64·k² + 32; HSP 5·5·32·2 + 2 = 1,602.
    //   ×2 (k=5): 1,664 + 51,232 + 1,602 = 54,498
    //   ×3 (k=7): 1,664 + 100,384 + 1,602 = 103,650
    //   ×4 (k=9): 1,664 + 165,920 + 1,602 = 169,186
    [Theory]
    [InlineData(2, 54_498)]
    [InlineData(3, 103_650)]
    [InlineData(4, 169_186)]
    public void LspHsp_parameter_count_and_both_outputs_at_hr_size(int scale, long expected)
    {
        using var scope = NewDisposeScope();
        using var net = new LspHsp(scale);
        Assert.Equal(expected, net.ParameterCount());
        NetworksTestKit.AssertOutputShape(net, 6, 7);
        var (image, boundary) = net.ForwardWithBoundary(rand(2, 1, 6, 7));
        Assert.Equal(new long[] { 2, 1, 6 * scale, 7 * scale }, image.shape);
        Assert.Equal(image.shape, boundary.shape);
    }

    [Fact]
    public void Flat_image_keeps_the_regular_lattice_and_an_edge_moves_pixels_away_from_it()
    {
        using var scope = NewDisposeScope();
        using var net = new LspHsp(2);
        // A vertical step between columns 3 and 4 of an 8×8 LR image.
        var data = new float[64];
        for (int r = 0; r < 8; r++) for (int c = 4; c < 8; c++) data[r * 8 + c] = 1;
        var step = tensor(data, [1, 1, 8, 8]);
        var flat = full([1, 1, 8, 8], 0.5);
        var regular = net.PlacementIndices(flat).data<long>();
        for (int i = 0; i < 64; i++) Assert.Equal((i / 8) * 2 * 16 + (i % 8) * 2, regular[i]);
        var moved = net.PlacementIndices(step).data<long>();
        // Row 3: column 3 (left of the edge) moves left, column 4 moves right, far columns stay.
        int row = 3;
        long Col(int c) => moved[row * 8 + c] - row * 2 * 16;
        Assert.Equal(2 * 3 - 1, Col(3));
        Assert.Equal(2 * 4 + 1, Col(4));
        Assert.Equal(2 * 0, Col(0));
        Assert.Equal(2 * 7, Col(7));
    }

    [Fact]
    public void Toward_edge_placement_moves_the_two_sides_of_a_step_toward_each_other()
    {
        using var scope = NewDisposeScope();
        using var net = new LspHsp(2, new LspHspOptions { PlacementTowardEdge = true });
        var data = new float[64];
        for (int r = 0; r < 8; r++) for (int c = 4; c < 8; c++) data[r * 8 + c] = 1;
        var moved = net.PlacementIndices(tensor(data, [1, 1, 8, 8])).data<long>();
        int row = 3;
        long Col(int c) => moved[row * 8 + c] - row * 2 * 16;
        // Columns 3 and 4 meet at HR column 7 (their values and counts add up there); far columns stay.
        Assert.Equal(7, Col(3));
        Assert.Equal(7, Col(4));
        Assert.Equal(2 * 0, Col(0));
        Assert.Equal(2 * 7, Col(7));
    }

    [Fact]
    public void Without_placement_the_shepard_layer_is_a_normalised_transposed_convolution()
    {
        // Regular lattice: numerator = ConvTranspose(features); each HR pixel's weights sum to one, so a constant
        // feature map gives the constant back (plus bias, zero at start).
        using var scope = NewDisposeScope();
        var layer = new LspHsp.ShepardDeconvolution(3, 2, 5);
        using var net = new LspHsp(2, new LspHspOptions { PixelPlacement = false });
        var positions = net.PlacementIndices(zeros(1, 1, 6, 6));
        var constant = full([1, 3, 6, 6], 0.7);
        var h = layer.Forward(constant, positions, 2);
        // Away from the zero-padded border every output equals Σ_c W·0.7 / Σ_c W = 0.7.
        var inner = h.narrow(2, 3, 6).narrow(3, 3, 6);
        Assert.True(allclose(inner, full_like(inner, 0.7), 1e-4, 1e-5));
    }

    [Fact]
    public void Shepard_output_is_a_weighted_mean_even_where_signed_weights_would_cancel()
    {
        // Channel weights +1 and −0.9999 at every tap: signed, Σ_c W = 1e-4 and the ratio would reach ~1e4. Used through
        // |W|, every output is a weighted mean of the placed features, inside their range.
        using var scope = NewDisposeScope();
        var layer = new LspHsp.ShepardDeconvolution(2, 1, 5);
        using (no_grad()) layer.parameters().First().copy_(stack([ones(1, 5, 5), full([1, 5, 5], -0.9999)], 1));
        using var net = new LspHsp(2);
        manual_seed(3);
        var lr = rand(1, 1, 6, 6);
        var features = rand(1, 2, 6, 6);
        var h = layer.Forward(features, net.PlacementIndices(lr), 2);
        Assert.True(h.min().item<double>() >= 0 && h.max().item<double>() <= features.max().item<double>() + 1e-6,
            $"Shepard output in [{h.min().item<double>()}, {h.max().item<double>()}], features in [0, {features.max().item<double>()}]");
    }

    [Fact]
    public void Shepard_layer_equals_eq3_written_out_with_and_without_autograd_and_so_do_its_gradients()
    {
        // The layer fuses and works in place (scatter_add_, addcdiv, clamp_ without autograd); Eq. (3) written out with
        // plain out-of-place ops must give the same values and the same gradients (to float rounding: addcdiv rounds once).
        using var scope = NewDisposeScope();
        manual_seed(5);
        var layer = new LspHsp.ShepardDeconvolution(3, 2, 5);
        using var net = new LspHsp(2);
        var lr = rand(2, 1, 7, 6);
        var positions = net.PlacementIndices(lr);
        var features = rand(2, 3, 7, 6).requires_grad_();
        var p = layer.parameters().ToArray();
        var (weight, bias) = (p[0], p[1]);

        Tensor WrittenOut()
        {
            long n = 2, c = 3, hw = 42;
            var index = positions.unsqueeze(1);
            var placed = zeros(n, c, 14 * 12).scatter_add(2, index.expand(n, c, hw), features.reshape(n, c, hw)).reshape(n, c, 14, 12);
            var indicator = zeros(n, 1, 14 * 12).scatter_add(2, index, ones(n, 1, hw)).reshape(n, 1, 14, 12);
            var k = weight.abs();
            var num = nn.functional.conv2d(placed, k, null, 1, 2);
            var den = nn.functional.conv2d(indicator, k.sum(1, keepdim: true), null, 1, 2).clamp_min(1e-4);
            return num / den + bias.reshape(1, -1, 1, 1);
        }

        var upstream = rand(2, 2, 14, 12);
        var reference = WrittenOut();
        var (gw, gb, gf) = Gradients(reference);
        var fused = layer.Forward(features, positions, 2);
        Assert.True(allclose(fused, reference, 1e-5, 1e-6));
        var (fw, fb, ff) = Gradients(fused);
        Assert.True(allclose(fw, gw, 1e-4, 1e-5), $"weight gradient off by {(fw - gw).abs().max().item<double>()}");
        Assert.True(allclose(fb, gb, 1e-4, 1e-6), $"bias gradient {fb} vs {gb}");
        Assert.True(allclose(ff, gf, 1e-4, 1e-5), $"feature gradient off by {(ff - gf).abs().max().item<double>()}");
        using (no_grad()) Assert.True(allclose(layer.Forward(features, positions, 2), reference, 1e-5, 1e-6));

        (Tensor, Tensor, Tensor) Gradients(Tensor output)
        {
            foreach (var t in new[] { weight, bias, features }) t.grad?.zero_();
            (output * upstream).sum().backward();
            return (weight.grad!.clone(), bias.grad!.clone(), features.grad!.clone());
        }
    }

    [Fact]
    public void LspHsp_gradients_reach_every_parameter_through_the_placement()
    {
        using var net = new LspHsp(3);
        using var lr = rand(1, 1, 6, 6);
        NetworksTestKit.AssertEveryParameterGetsGradient(net, lr, x =>
        {
            var (image, boundary) = net.ForwardWithBoundary(x);
            return torch.cat([image, boundary], 1);
        });
    }

    [Fact]
    public void Edge_boundary_map_marks_a_step_and_not_a_flat_area()
    {
        using var scope = NewDisposeScope();
        var data = new float[100];
        for (int r = 0; r < 10; r++) for (int c = 5; c < 10; c++) data[r * 10 + c] = 1;
        var map = BoundaryMaps.FromEdges(tensor(data, [1, 1, 10, 10])).data<float>();
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 10; c++)
                Assert.Equal(c is 4 or 5 ? 1f : 0f, map[r * 10 + c]);
    }
}
