using Microsoft.ML.OnnxRuntime;
using Sr.Models.Networks;
using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Models.Tests;

/// <summary>Runs exported models in ONNX Runtime and compares them with libtorch.</summary>
internal static class OnnxTestKit
{
    public static InferenceSession Session(byte[] model)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        return new InferenceSession(model, options);
    }

    /// <summary>Runs a one-input model on a float32 tensor and returns the named output as a tensor.</summary>
    public static Tensor Run(InferenceSession session, Tensor input, string inputName = "input", string outputName = "output")
    {
        using var x = input.contiguous().to(ScalarType.Float32);
        var data = x.data<float>();
        using var value = OrtValue.CreateTensorValueFromMemory(data, x.shape);
        using var results = session.Run(new RunOptions(), [inputName], [value], [outputName]);
        return ToTensor(results[0]);
    }

    public static Tensor ToTensor(OrtValue value)
    {
        var shape = value.GetTensorTypeAndShape().Shape;
        return tensor(value.GetTensorDataAsSpan<float>(), shape);
    }

    /// <summary>The network's forward in evaluation and inference mode (what the export must equal).</summary>
    public static Tensor Forward(SrNetwork network, Tensor lr)
    {
        network.eval();
        using var mode = inference_mode();
        return network.call(lr);
    }

    /// <summary>
    /// Replaces a fresh network's convolution weights by He-normal ones and its biases by U(−0.1, 0.1), so every layer
    /// contributes at order 1: several initialisations start a layer at or near zero (SPSR's Kaiming × 0.1, RSRNet's
    /// σ = 0.001 layers, zero biases), which would let an export that mishandles that layer still look exact.
    /// </summary>
    /// <param name="net">The network.</param>
    /// <param name="gain">Weight variance × fan-in (2 = He; 1 = LeCun, for deep unscaled residual stacks that He makes explode).</param>
    public static void Randomize(nn.Module net, double gain = 2)
    {
        using var _ = no_grad();
        foreach (var (name, p) in net.named_parameters())
        {
            if (p.dim() == 4)
            {
                var (fanIn, _) = nn.init.calculate_fan_in_and_fan_out(p);
                p.normal_(0, Math.Sqrt(gain / fanIn));
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                p.uniform_(-0.1, 0.1);
            }
        }
    }

    public static double MaxAbs(Tensor a)
    {
        using var m = a.abs().max();
        return m.item<double>();
    }

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(a.shape, b.shape);
        using var d = (a - b).abs().max();
        return d.item<double>();
    }
}
