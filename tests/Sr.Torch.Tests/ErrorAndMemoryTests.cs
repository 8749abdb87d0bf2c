using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

/// <summary>Counts of live native tensors are process-wide: these tests run alone.</summary>
[CollectionDefinition("native-count", DisableParallelization = true)]
public sealed class NativeCountCollection;

[Collection("native-count")]
public class ErrorAndMemoryTests
{
    private static long SettledCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return LiveTensorCount;
    }

    [Fact]
    public void Shape_mismatch_raises_a_dotnet_exception_with_libtorchs_message()
    {
        using var a = zeros(2, 3);
        using var b = zeros(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("shapes cannot be multiplied", e.Message);
        // the process and the library keep working
        using var c = a.add(1);
        Assert.Equal(6f, c.sum().item<float>());
    }

    [Fact]
    public void Out_of_range_index_and_bad_conv_raise_exceptions()
    {
        using var a = zeros(2, 3);
        Assert.Contains("out of range", Assert.Throws<TorchException>(() => a.select(0, 5)).Message);
        using var x = zeros(1, 3, 8, 8);
        using var w = zeros(4, 2, 3, 3);
        Assert.Contains("expected input", Assert.Throws<TorchException>(() => nn.functional.conv2d(x, w)).Message);
        Assert.Throws<TorchException>(() => a.view(7));
    }

    [Fact]
    public void Backward_on_a_tensor_without_grad_raises()
    {
        using var a = ones(3);
        var e = Assert.Throws<TorchException>(() => a.sum().backward());
        Assert.Contains("does not require grad", e.Message);
    }

    [Fact]
    public void Cuda_request_without_cuda_is_a_clear_error()
    {
        if (cuda.is_available()) return; // a CUDA build has nothing to refuse
        using var a = ones(1);
        Assert.Contains("CUDA is not available", Assert.Throws<TorchException>(() => a.to(CUDA)).Message);
    }

    [Fact]
    public void Hundred_thousand_small_ops_in_dispose_scopes_leave_native_tensor_count_flat()
    {
        using var w = randn(4, 4);
        long before = SettledCount();
        for (int i = 0; i < 100_000; i++)
        {
            using var scope = NewDisposeScope();
            var y = (w * 2 + 1).relu().sum();
            _ = y;
        }
        Assert.Equal(before, SettledCount());
    }

    [Fact]
    public void MoveToOuter_keeps_a_result_alive_past_its_scope()
    {
        long before = SettledCount();
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            using (NewDisposeScope())
            {
                kept = (ones(3) * 5).MoveToOuterDisposeScope();
            }
            Assert.Equal(15f, kept.sum().item<float>());
        }
        Assert.True(kept.IsInvalid);
        Assert.Equal(before, SettledCount());
    }
}
