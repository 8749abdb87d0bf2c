using Sr.Torch.Serialization;
using static Sr.Torch.torch;
using F = Sr.Torch.torch.nn.functional;

namespace Sr.Torch.Tests;

/// <summary>
/// Seeding and deterministic mode. The random generator and the mode are process-wide, so these tests run in the
/// non-parallel collection (xunit runs it alone, after the parallel ones): nothing else draws numbers meanwhile.
/// </summary>
[Collection("native-count")]
public class DeterminismTests
{
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly nn.Conv2d conv1 = new(3, 16, 3, padding: 1);
        public readonly nn.Conv2d conv2 = new(16, 3, 3, padding: 1);

        public Net() : base(nameof(Net)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            using var h = conv1.call(x);
            using var a = h.relu();
            return conv2.call(a);
        }
    }

    /// <summary>Seeds, builds the net, trains three Adam steps on seeded random batches; returns the weights' bytes.</summary>
    private static byte[] SeededTrainingRun(ulong seed)
    {
        manual_seed(seed);
        using var net = new Net();
        using var opt = optim.Adam(net.parameters(), lr: 1e-2);
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var x = rand(4, 3, 12, 12);
            var loss = F.mse_loss(net.call(x), x);
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        var ms = new MemoryStream();
        Safetensors.SaveStateDict(ms, net.state_dict());
        return ms.ToArray();
    }

    [Fact]
    public void The_same_seed_in_deterministic_mode_gives_bit_identical_weights_after_training_steps()
    {
        use_deterministic_algorithms(true);
        try
        {
            var a = SeededTrainingRun(5);
            var b = SeededTrainingRun(5);
            var c = SeededTrainingRun(6);
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }
        finally
        {
            use_deterministic_algorithms(false);
        }
    }
}
