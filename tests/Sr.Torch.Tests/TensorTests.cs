using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

public class TensorTests
{
    [Fact]
    public void Tensor_round_trips_values_shape_and_dtype()
    {
        using var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.data<float>());
        using var tt = t.t().contiguous();
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, tt.data<float>());
    }

    [Fact]
    public void Broadcasting_arithmetic_follows_pytorch()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[] { 1, 2, 3 }, [3, 1]);
        var b = tensor(new double[] { 10, 20 }, [1, 2]);
        Assert.Equal(new double[] { 11, 21, 12, 22, 13, 23 }, (a + b).data<double>());
        Assert.Equal(new double[] { 9, 8, 7 }, (10.0 - a).reshape(3).data<double>());
        Assert.Equal(new double[] { 0.5, 1, 1.5 }, (a / 2).reshape(3).data<double>());
        Assert.Equal(14.0 / 3, (a * a).mean().item<double>(), 12);
    }

    [Fact]
    public void Reductions_and_indexing()
    {
        using var scope = NewDisposeScope();
        var x = arange(0, 24, 1, ScalarType.Float32).reshape(2, 3, 4);
        Assert.Equal(276f, x.sum().item<float>());
        Assert.Equal(Enumerable.Range(6, 12).Select(v => (float)v).ToArray(), x.mean(0).reshape(-1).data<float>());
        Assert.Equal(new float[] { 4, 5, 6, 7 }, x[0][1].data<float>());
        Assert.Equal(new float[] { 1, 3, 5, 7 }, x.reshape(-1).slice(0, 1, 9, 2).data<float>());
        Assert.Equal(new long[] { 2, 3 }, x.amax([2]).shape);
        Assert.Equal(new long[] { 2, 2 }, x.amax([2]).argmax(1).data<long>());
        var idx = tensor(new long[] { 2, 0 });
        Assert.Equal(new float[] { 8, 9, 10, 11, 0, 1, 2, 3 }, x[0].index_select(0, idx).reshape(-1).data<float>());
        var cat2 = cat([x[0], x[1]], 0);
        Assert.Equal(new long[] { 6, 4 }, cat2.shape);
        Assert.Equal(new long[] { 2, 2, 3, 4 }, stack([x, x], 0).shape);
    }

    [Fact]
    public void Symmetric_padding_mirrors_the_edge_sample_like_matlab()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 }, [1, 1, 1, 3]);
        var p = nn.functional.pad(x, [2, 4], nn.PaddingModes.Symmetric);
        Assert.Equal(new float[] { 2, 1, 1, 2, 3, 3, 2, 1, 1 }, p.reshape(-1).data<float>());
        var r = nn.functional.pad(x, [2, 2], nn.PaddingModes.Reflect);
        Assert.Equal(new float[] { 3, 2, 1, 2, 3, 2, 1 }, r.reshape(-1).data<float>());
        var e = nn.functional.pad(x, [1, 1], nn.PaddingModes.Replicate);
        Assert.Equal(new float[] { 1, 1, 2, 3, 3 }, e.reshape(-1).data<float>());
    }

    [Fact]
    public void Pixel_shuffle_and_unshuffle_are_inverse()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 8, 3, 5);
        var up = nn.functional.pixel_shuffle(x, 2);
        Assert.Equal(new long[] { 1, 2, 6, 10 }, up.shape);
        Assert.True(allclose(nn.functional.pixel_unshuffle(up, 2), x));
    }

    [Fact]
    public void Transposed_conv_with_kernel_equal_to_stride_equals_1x1_conv_then_pixel_shuffle()
    {
        // The rewrite the networks use for speed: ConvT(k=s, stride=s) == pixel_shuffle(conv1x1(W')).
        using var scope = NewDisposeScope();
        long cin = 4, cout = 3, s = 2;
        var x = randn(1, cin, 5, 6);
        var w = randn(cin, cout, s, s);
        var b = randn(cout);
        var reference = nn.functional.conv_transpose2d(x, w, b, s);
        var w1 = w.permute(1, 2, 3, 0).reshape(cout * s * s, cin, 1, 1);
        var b1 = b.unsqueeze(1).expand(cout, s * s).reshape(-1);
        var fast = nn.functional.pixel_shuffle(nn.functional.conv2d(x, w1, b1), s);
        Assert.True(allclose(reference, fast, 1e-4, 1e-5));
    }

    [Fact]
    public void Interpolate_bicubic_antialias_downsamples_constant_image_to_constant()
    {
        using var scope = NewDisposeScope();
        var x = full([1, 1, 8, 8], 0.25);
        var y = nn.functional.interpolate(x, size: [3, 3], mode: nn.InterpolationMode.Bicubic, antialias: true);
        Assert.True(allclose(y, full([1, 1, 3, 3], 0.25), 1e-5, 1e-6));
    }

    [Fact]
    public void Straight_through_round_passes_the_gradient_unchanged()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 0.2, 0.7, 1.4 }).requires_grad_();
        var y = x + (x.round() - x).detach();
        Assert.Equal(new double[] { 0, 1, 1 }, y.detach().data<double>());
        y.mul(tensor(new double[] { 1, 2, 3 })).sum().backward();
        Assert.Equal(new double[] { 1, 2, 3 }, x.grad!.data<double>());
    }

    [Fact]
    public void No_grad_scope_records_no_graph()
    {
        using var scope = NewDisposeScope();
        var x = ones([2], requires_grad: true);
        using (no_grad())
        {
            var y = x * 2;
            Assert.False(y.requires_grad);
        }
        Assert.True((x * 2).requires_grad);
        using (inference_mode())
        {
            Assert.False((x * 3).requires_grad);
        }
    }
}

public class IntegerTensorTests
{
    [Fact]
    public void Integer_tensors_stay_integer_under_whole_number_arithmetic()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new int[] { 5, 7 });
        var b = tensor(new int[] { 1, 2 });
        var d = a.sub(b);
        Assert.Equal(ScalarType.Int32, d.dtype);
        Assert.Equal(new[] { 4, 5 }, d.data<int>());
        Assert.Equal(new[] { 6, 8 }, a.add(1).data<int>());
        Assert.Equal(new[] { 10, 14 }, a.mul(2).data<int>());
        var counter = zeros([], ScalarType.Int64);
        counter.add_(1);
        Assert.Equal(1L, counter.item<long>());
        Assert.Equal(ScalarType.Float32, a.add(0.5).dtype);
    }
}
