using System.Globalization;

namespace Sr.Torch
{

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>A group of parameters sharing hyper-parameters (PyTorch's param_groups entry).</summary>
        public sealed class ParamGroup
        {
            public ParamGroup(IEnumerable<nn.Parameter> parameters, double lr) => (Parameters, LearningRate, InitialLearningRate) = (parameters.ToList(), lr, lr);

            public IReadOnlyList<nn.Parameter> Parameters { get; }
            public double LearningRate { get; set; }
            public double InitialLearningRate { get; set; }
            public double WeightDecay { get; set; }
        }

        /// <summary>
        /// The optimizer contract: <see cref="step"/> updates parameters from their gradients; per-parameter state
        /// (moments, step counts) is exposed by name through <see cref="state_dict"/> so training resumes exactly.
        /// </summary>
        public abstract class Optimizer : IDisposable
        {
            private readonly Dictionary<(int group, int index, string name), Tensor> _state = [];

            protected Optimizer(IEnumerable<ParamGroup> groups) => ParamGroups = groups.ToList();

            public IReadOnlyList<ParamGroup> ParamGroups { get; }

            /// <summary>The number of completed steps.</summary>
            public long StepCount { get; private set; }

            public IEnumerable<nn.Parameter> parameters() => ParamGroups.SelectMany(g => g.Parameters);

            public void zero_grad()
            {
                foreach (var p in parameters()) p.grad = null;
            }

            public void step()
            {
                using var scope = NewDisposeScope();
                using (no_grad())
                {
                    for (int g = 0; g < ParamGroups.Count; g++)
                    {
                        var group = ParamGroups[g];
                        for (int i = 0; i < group.Parameters.Count; i++)
                        {
                            var p = group.Parameters[i];
                            var grad = p.grad;
                            if (grad is null) continue;
                            Update(group, p, grad, (name, init) => State(g, i, name, init));
                        }
                    }
                }
                StepCount++;
            }

            /// <summary>Applies one update to <paramref name="p"/>; <paramref name="state"/> returns a named per-parameter buffer, creating it with the initialiser on first use.</summary>
            protected abstract void Update(ParamGroup group, nn.Parameter p, Tensor grad, Func<string, Func<Tensor>, Tensor> state);

            private Tensor State(int g, int i, string name, Func<Tensor> init)
            {
                if (_state.TryGetValue((g, i, name), out var t)) return t;
                t = init().DetachFromDisposeScope();
                _state[(g, i, name)] = t;
                return t;
            }

            /// <summary>Buffers by "state.{group}.{index}.{name}" plus "step" and "lr.{group}" as scalar tensors (new tensors: dispose them).</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var ((g, i, n), t) in _state) d[$"state.{g}.{i}.{n}"] = t.clone().DetachFromDisposeScope();
                d["step"] = scalar_tensor(StepCount, ScalarType.Int64).DetachFromDisposeScope();
                for (int g = 0; g < ParamGroups.Count; g++)
                {
                    d[$"lr.{g}"] = scalar_tensor(ParamGroups[g].LearningRate, ScalarType.Float64).DetachFromDisposeScope();
                    d[$"initial_lr.{g}"] = scalar_tensor(ParamGroups[g].InitialLearningRate, ScalarType.Float64).DetachFromDisposeScope();
                }
                return d;
            }

            public void load_state_dict(IReadOnlyDictionary<string, Tensor> source)
            {
                if (!source.TryGetValue("step", out var step)) throw new ArgumentException("Optimizer state has no 'step' entry: not an optimizer state dict.");
                foreach (var t in _state.Values) t.Dispose();
                _state.Clear();
                StepCount = step.item<long>();
                foreach (var (k, v) in source)
                {
                    var parts = k.Split('.');
                    if (parts[0] == "lr") ParamGroups[int.Parse(parts[1], CultureInfo.InvariantCulture)].LearningRate = v.item<double>();
                    else if (parts[0] == "initial_lr") ParamGroups[int.Parse(parts[1], CultureInfo.InvariantCulture)].InitialLearningRate = v.item<double>();
                    else if (parts[0] == "state" && parts.Length == 4)
                    {
                        int g = int.Parse(parts[1], CultureInfo.InvariantCulture), i = int.Parse(parts[2], CultureInfo.InvariantCulture);
                        if (g >= ParamGroups.Count || i >= ParamGroups[g].Parameters.Count) throw new ArgumentException($"Optimizer state entry '{k}' names a parameter this optimizer does not have.");
                        _state[(g, i, parts[3])] = v.clone().DetachFromDisposeScope();
                    }
                }
            }

            public void Dispose()
            {
                foreach (var t in _state.Values) t.Dispose();
                _state.Clear();
                GC.SuppressFinalize(this);
            }
        }

        private static IEnumerable<ParamGroup> One(IEnumerable<nn.Parameter> parameters, double lr, double weight_decay) =>
            [new ParamGroup(parameters, lr) { WeightDecay = weight_decay }];

        public static Modules.SGD SGD(IEnumerable<nn.Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false) =>
            new(One(parameters, lr, weight_decay), momentum, dampening, nesterov);

        public static Modules.Adam Adam(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) =>
            new(One(parameters, lr, weight_decay), beta1, beta2, eps, amsgrad);

        public static Modules.AdamW AdamW(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0.01, bool amsgrad = false) =>
            new(One(parameters, lr, weight_decay), beta1, beta2, eps, amsgrad);
    }
}
}

namespace Sr.Torch.Modules
{
    /// <summary>SGD with momentum, dampening, Nesterov and L2 weight decay (PyTorch's update rule).</summary>
    public sealed class SGD(IEnumerable<torch.optim.ParamGroup> groups, double momentum = 0, double dampening = 0, bool nesterov = false) : torch.optim.Optimizer(groups)
    {
        public double Momentum { get; } = momentum;

        protected override void Update(torch.optim.ParamGroup group, torch.nn.Parameter p, Tensor grad, Func<string, Func<Tensor>, Tensor> state)
        {
            var d = group.WeightDecay != 0 ? grad.add(p, group.WeightDecay) : grad;
            if (Momentum != 0)
            {
                bool fresh = false;
                var buf = state("momentum_buffer", () => { fresh = true; return d.clone(); });
                if (!fresh) buf.mul_(Momentum).add_(d, 1 - dampening);
                d = nesterov ? d.add(buf, Momentum) : buf;
            }
            p.add_(d, -group.LearningRate);
        }
    }

    /// <summary>Adam / AdamW (decoupled weight decay when <c>decoupled</c>), PyTorch's update rule with bias correction.</summary>
    public class Adam(IEnumerable<torch.optim.ParamGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool amsgrad = false, bool decoupled = false) : torch.optim.Optimizer(groups)
    {
        protected override void Update(torch.optim.ParamGroup group, torch.nn.Parameter p, Tensor grad, Func<string, Func<Tensor>, Tensor> state)
        {
            var step = state("step", () => torch.zeros([], ScalarType.Float64));
            step.add_(1);
            double t = step.item<double>();
            if (group.WeightDecay != 0)
            {
                if (decoupled) p.mul_(1 - group.LearningRate * group.WeightDecay);
                else grad = grad.add(p, group.WeightDecay);
            }
            var m = state("exp_avg", () => torch.zeros_like(p));
            var v = state("exp_avg_sq", () => torch.zeros_like(p));
            m.lerp_(grad, 1 - beta1);
            v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
            double bc1 = 1 - Math.Pow(beta1, t), bc2 = 1 - Math.Pow(beta2, t);
            Tensor denomSource = v;
            if (amsgrad)
            {
                var vmax = state("max_exp_avg_sq", () => torch.zeros_like(p));
                vmax.maximum_(v);
                denomSource = vmax;
            }
            var denom = denomSource.sqrt().div_(Math.Sqrt(bc2)).add_(eps);
            p.addcdiv_(m, denom, -group.LearningRate / bc1);
        }
    }

    public sealed class AdamW(IEnumerable<torch.optim.ParamGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool amsgrad = false)
        : Adam(groups, beta1, beta2, eps, amsgrad, decoupled: true);

}
