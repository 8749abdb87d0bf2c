using Sr.Torch;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

public class ModuleAndOptimTests
{
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Conv2d conv1;
        private readonly nn.PReLU act;
        private readonly nn.Sequential body;

        public Block() : base(nameof(Block))
        {
            conv1 = new nn.Conv2d(1, 4, 3, padding: 1);
            act = new nn.PReLU(4);
            body = new nn.Sequential(new nn.Conv2d(4, 4, 3, padding: 1), nn.ReLU(), new nn.Conv2d(4, 1, 1, bias: false));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var h = act.call(conv1.call(x));
            return body.call(h);
        }
    }

    [Fact]
    public void Field_names_become_dotted_state_dict_keys_in_declaration_order()
    {
        using var m = new Block();
        Assert.Equal(new[] { "conv1.weight", "conv1.bias", "act.weight", "body.0.weight", "body.0.bias", "body.2.weight" }, m.state_dict().Keys);
        Assert.Equal(4 * 9 + 4 + 4 + 4 * 4 * 9 + 4 + 4, m.ParameterCount());
    }

    [Fact]
    public void Load_state_dict_copies_values_and_strict_mode_names_bad_keys()
    {
        using var a = new Block();
        using var b = new Block();
        b.load_state_dict(a.state_dict());
        using var x = randn(1, 1, 6, 6);
        using var ya = a.call(x);
        using var yb = b.call(x);
        Assert.True(allclose(ya, yb));

        using var extra = zeros(1);
        var bad = new Dictionary<string, Tensor>(a.state_dict()) { ["nope.weight"] = extra };
        bad.Remove("conv1.bias");
        var e = Assert.Throws<ArgumentException>(() => b.load_state_dict(bad));
        Assert.Contains("conv1.bias", e.Message);
        Assert.Contains("nope.weight", e.Message);
        var (missing, unexpected) = b.load_state_dict(bad, strict: false);
        Assert.Equal(["conv1.bias"], missing);
        Assert.Equal(["nope.weight"], unexpected);
    }

    [Fact]
    public void Adam_step_matches_the_closed_form_first_update()
    {
        // First Adam step: m̂ = g, v̂ = g², update = lr · g / (|g| + eps) = lr · sign(g).
        using var p = new nn.Parameter(tensor(new float[] { 1, -2, 3 }));
        using var opt = optim.Adam([p], lr: 0.1);
        using (var loss = (p * tensor(new float[] { 2, -1, 0.5f })).sum()) loss.backward();
        opt.step();
        var v = p.data<float>();
        Assert.Equal(0.9f, v[0], 5);
        Assert.Equal(-1.9f, v[1], 5);
        Assert.Equal(2.9f, v[2], 5);
    }

    [Fact]
    public void Sgd_with_momentum_follows_pytorch_update()
    {
        using var p = new nn.Parameter(tensor(new double[] { 1.0 }));
        using var opt = optim.SGD([p], lr: 0.1, momentum: 0.9);
        for (int i = 0; i < 2; i++)
        {
            opt.zero_grad();
            using var loss = (p * p).sum(); // grad = 2p
            loss.backward();
            opt.step();
        }
        // step 1: buf = 2, p = 0.8; step 2: g = 1.6, buf = 0.9*2 + 1.6 = 3.4, p = 0.8 - 0.34 = 0.46
        Assert.Equal(0.46, p.item<double>(), 10);
    }

    [Fact]
    public void Optimizer_state_round_trip_resumes_identically()
    {
        manual_seed(3);
        using var x = randn(8, 3);
        using var yTrue = randn(8, 1);
        double Run(int steps, Dictionary<string, Tensor>? resumeFrom, float[]? weights, out Dictionary<string, Tensor> state, out float[] finalWeights)
        {
            using var lin = new nn.Linear(3, 1, hasBias: false);
            if (weights != null) lin.weight.CopyFrom<float>(weights);
            using var opt = optim.Adam(lin.parameters(), lr: 0.05);
            if (resumeFrom != null) opt.load_state_dict(resumeFrom);
            double last = 0;
            for (int i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                opt.zero_grad();
                var loss = nn.functional.mse_loss(lin.call(x), yTrue);
                loss.backward();
                opt.step();
                last = loss.item<double>();
            }
            state = opt.state_dict();
            finalWeights = lin.weight.data<float>();
            return last;
        }
        var w0 = new float[] { 0.1f, -0.2f, 0.3f };
        double straight = Run(6, null, w0, out _, out var wStraight);
        Run(3, null, w0, out var mid, out var wMid);
        double resumed = Run(3, mid, wMid, out _, out var wResumed);
        Assert.Equal(straight, resumed, 12);
        Assert.Equal(wStraight, wResumed);
    }

    [Fact]
    public void Schedulers_follow_their_closed_forms()
    {
        using var p = new nn.Parameter(zeros(1));
        using var opt = optim.SGD([p], lr: 1.0);
        var step = new optim.lr_scheduler.StepLR(opt, 2, 0.5);
        var seen = new List<double>();
        for (int i = 0; i < 5; i++) { step.step(); seen.Add(opt.ParamGroups[0].LearningRate); }
        Assert.Equal(new[] { 1.0, 0.5, 0.5, 0.25, 0.25 }, seen);
        var multi = new optim.lr_scheduler.MultiStepLR(opt, [2, 4], 0.1);
        multi.SetEpoch(3);
        Assert.Equal(0.1, opt.ParamGroups[0].LearningRate, 12);
        var cos = new optim.lr_scheduler.CosineAnnealingLR(opt, 10);
        cos.SetEpoch(5);
        Assert.Equal(0.5, opt.ParamGroups[0].LearningRate, 12);
        new optim.lr_scheduler.ExponentialLR(opt, 0.9).SetEpoch(2);
        Assert.Equal(0.81, opt.ParamGroups[0].LearningRate, 12);
    }

    [Fact]
    public void Clip_grad_norm_scales_to_the_limit()
    {
        using var p = new nn.Parameter(zeros(2));
        p.grad = tensor(new float[] { 3, 4 });
        double before = nn.utils.clip_grad_norm_([p], 1.0);
        Assert.Equal(5.0, before, 5);
        Assert.Equal(1.0, p.grad!.norm().item<double>(), 4);
        nn.utils.clip_grad_value_([p], 0.5);
        Assert.True(p.grad!.abs().max().item<double>() <= 0.5 + 1e-7);
    }

    [Fact]
    public void A_few_training_steps_lower_the_loss_of_a_small_conv_net()
    {
        manual_seed(11);
        using var net = new Block();
        using var opt = optim.Adam(net.parameters(), lr: 1e-2);
        using var x = rand(4, 1, 12, 12);
        using var target = nn.functional.avg_pool2d(nn.functional.pad(x, [1, 1, 1, 1], nn.PaddingModes.Replicate), 3, 1);
        double first = 0, last = 0;
        for (int i = 0; i < 60; i++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.mse_loss(net.call(x), target);
            loss.backward();
            opt.step();
            if (i == 0) first = loss.item<double>();
            last = loss.item<double>();
        }
        Assert.True(last < first * 0.2, $"loss {first} -> {last}");
    }
}
