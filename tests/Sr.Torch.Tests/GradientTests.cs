using Sr.Torch;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Torch.Tests;

/// <summary>Every differentiable op the networks use, against central finite differences in float64.</summary>
public class GradientTests
{
    public GradientTests() => manual_seed(7);

    private static Tensor R(params long[] shape) => randn(shape, ScalarType.Float64);
    private static Tensor Pos(params long[] shape) => rand(shape, ScalarType.Float64) + 0.5;

    public static TheoryData<string> UnaryOps => new() { "exp", "log", "sqrt", "sigmoid", "tanh", "relu", "abs", "square", "leaky_relu", "elu", "softmax", "log_softmax", "neg", "reciprocal" };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_op_gradient_matches_finite_differences(string op)
    {
        Func<Tensor[], Tensor> f = op switch
        {
            "exp" => a => a[0].exp(),
            "log" => a => a[0].log(),
            "sqrt" => a => a[0].sqrt(),
            "sigmoid" => a => a[0].sigmoid(),
            "tanh" => a => a[0].tanh(),
            "relu" => a => a[0].relu(),
            "abs" => a => a[0].abs(),
            "square" => a => a[0].square(),
            "leaky_relu" => a => F.leaky_relu(a[0], 0.2),
            "elu" => a => F.elu(a[0]),
            "softmax" => a => a[0].softmax(1),
            "log_softmax" => a => a[0].log_softmax(1),
            "neg" => a => -a[0],
            "reciprocal" => a => a[0].reciprocal(),
            _ => throw new ArgumentException(op),
        };
        // Positive inputs away from kinks for log/sqrt/reciprocal; others get values away from 0 too (|x| ≥ 0.5).
        var x = op is "log" or "sqrt" or "reciprocal" ? Pos(3, 4) : Pos(3, 4) * R(3, 4).sign();
        GradCheck.Assert(f, [x], name: op);
    }

    [Fact]
    public void Binary_ops_gradients() 
    {
        GradCheck.Assert(a => a[0] * a[1] + a[0] / a[1] - a[1], [R(2, 3), Pos(2, 3)], name: "mul/div/sub");
        GradCheck.Assert(a => a[0].pow(a[1]), [Pos(2, 3), R(2, 3)], name: "pow");
        GradCheck.Assert(a => a[0].matmul(a[1]), [R(2, 3), R(3, 4)], name: "matmul");
        GradCheck.Assert(a => a[0].maximum(a[1]), [R(5), R(5) + 3], name: "maximum");
        GradCheck.Assert(a => a[0].clamp(-0.5, 0.5), [R(6) * 0.2 + 0.1], name: "clamp inside");
    }

    [Fact]
    public void Reduction_and_shape_op_gradients()
    {
        GradCheck.Assert(a => a[0].sum(1), [R(3, 4)], name: "sum");
        GradCheck.Assert(a => a[0].mean([0, 2], true), [R(2, 3, 4)], name: "mean");
        GradCheck.Assert(a => a[0].norm(), [R(3, 4)], name: "norm");
        GradCheck.Assert(a => a[0].permute(2, 0, 1).reshape(4, 6).slice(1, 1, 5, 2), [R(2, 3, 4)], name: "views");
        GradCheck.Assert(a => cat([a[0], a[1]], 1), [R(2, 2), R(2, 3)], name: "cat");
        GradCheck.Assert(a => stack([a[0], a[1]], 0), [R(2, 2), R(2, 2)], name: "stack");
        GradCheck.Assert(a => a[0].flip(1).rot90(1, 0, 1), [R(3, 4)], name: "flip/rot90");
        GradCheck.Assert(a => a[0].index_select(1, tensor(new long[] { 2, 0, 2 })), [R(2, 3)], name: "index_select");
        GradCheck.Assert(a => a[0].gather(1, tensor(new long[] { 0, 2, 1, 1 }, [2, 2])), [R(2, 3)], name: "gather");
        GradCheck.Assert(a => zeros([2, 5], ScalarType.Float64).scatter_add(1, tensor(new long[] { 0, 4, 4, 1, 1, 1 }, [2, 3]), a[0]), [R(2, 3)], name: "scatter_add");
        GradCheck.Assert(a => zeros([4, 2], ScalarType.Float64).index_add(0, tensor(new long[] { 3, 0, 3 }), a[0]), [R(3, 2)], name: "index_add");
    }

    [Fact]
    public void Convolution_gradients()
    {
        GradCheck.Assert(a => F.conv2d(a[0], a[1], a[2], 1, 1), [R(1, 2, 5, 5), R(3, 2, 3, 3), R(3)], name: "conv2d");
        GradCheck.Assert(a => F.conv2d(a[0], a[1], null, (2, 2), (1, 1), (2, 2), 2), [R(1, 4, 7, 7), R(2, 2, 3, 3)], name: "conv2d stride/dilation/groups");
        GradCheck.Assert(a => F.conv_transpose2d(a[0], a[1], a[2], 2, 1, 1), [R(1, 2, 3, 3), R(2, 3, 3, 3), R(3)], name: "conv_transpose2d");
        GradCheck.Assert(a => F.pixel_shuffle(a[0], 2), [R(1, 8, 2, 3)], name: "pixel_shuffle");
        GradCheck.Assert(a => F.pixel_unshuffle(a[0], 2), [R(1, 2, 4, 6)], name: "pixel_unshuffle");
        GradCheck.Assert(a => F.linear(a[0], a[1], a[2]), [R(3, 4), R(5, 4), R(5)], name: "linear");
        GradCheck.Assert(a => F.prelu(a[0], a[1]), [Pos(1, 3, 2, 2) * R(1, 3, 2, 2).sign(), Pos(3)], name: "prelu");
    }

    [Fact]
    public void Resampling_pooling_and_padding_gradients()
    {
        GradCheck.Assert(a => F.interpolate(a[0], scale_factor: [2.0], mode: nn.InterpolationMode.Nearest), [R(1, 1, 3, 3)], name: "nearest");
        GradCheck.Assert(a => F.interpolate(a[0], size: [5, 7], mode: nn.InterpolationMode.Bilinear), [R(1, 1, 3, 4)], name: "bilinear");
        GradCheck.Assert(a => F.interpolate(a[0], size: [6, 6], mode: nn.InterpolationMode.Bicubic), [R(1, 1, 3, 3)], name: "bicubic");
        GradCheck.Assert(a => F.interpolate(a[0], size: [3, 3], mode: nn.InterpolationMode.Bicubic, antialias: true), [R(1, 1, 7, 7)], name: "bicubic antialias");
        GradCheck.Assert(a => F.avg_pool2d(a[0], 2), [R(1, 2, 4, 4)], name: "avg_pool2d");
        GradCheck.Assert(a => F.max_pool2d(a[0], 2), [R(1, 1, 4, 4)], name: "max_pool2d");
        foreach (var mode in new[] { nn.PaddingModes.Zeros, nn.PaddingModes.Reflect, nn.PaddingModes.Replicate, nn.PaddingModes.Symmetric })
            GradCheck.Assert(a => F.pad(a[0], [2, 1, 1, 2], mode), [R(1, 1, 3, 4)], name: $"pad {mode}");
    }

    [Fact]
    public void Loss_gradients()
    {
        GradCheck.Assert(a => F.l1_loss(a[0], a[1]), [R(2, 3), R(2, 3)], name: "l1");
        GradCheck.Assert(a => F.mse_loss(a[0], a[1]), [R(2, 3), R(2, 3)], name: "mse");
        GradCheck.Assert(a => F.binary_cross_entropy_with_logits(a[0], a[1].sigmoid()), [R(2, 3), R(2, 3)], name: "bce");
        GradCheck.Assert(a => F.cross_entropy(a[0], tensor(new long[] { 2, 0, 1 })), [R(3, 4)], name: "cross_entropy");
        GradCheck.Assert(a => F.cosine_similarity(a[0], a[1], 1), [R(3, 4), R(3, 4)], name: "cosine_similarity");
        GradCheck.Assert(a => F.batch_norm(a[0], null, null, a[1], a[2], training: true), [R(2, 3, 2, 2), R(3), R(3)], name: "batch_norm");
    }
}
