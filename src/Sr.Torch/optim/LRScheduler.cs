namespace Sr.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Learning-rate schedules as <c>torch.optim.lr_scheduler</c>: closed forms of the epoch (step) count, so resuming at epoch k is exact.</summary>
        public static class lr_scheduler
        {
            public abstract class LRScheduler
            {
                protected LRScheduler(Optimizer optimizer) => Optimizer = optimizer;

                public Optimizer Optimizer { get; }
                public int LastEpoch { get; private set; }

                /// <summary>Advances one epoch (or iteration, as the caller counts) and sets every group's learning rate.</summary>
                public void step() => SetEpoch(LastEpoch + 1);

                public void SetEpoch(int epoch)
                {
                    LastEpoch = epoch;
                    foreach (var g in Optimizer.ParamGroups) g.LearningRate = Rate(g.InitialLearningRate, epoch);
                }

                public double get_last_lr() => Optimizer.ParamGroups[0].LearningRate;

                protected abstract double Rate(double initial, int epoch);
            }

            public sealed class StepLR(Optimizer optimizer, int step_size, double gamma = 0.1) : LRScheduler(optimizer)
            {
                protected override double Rate(double initial, int epoch) => initial * Math.Pow(gamma, epoch / step_size);
            }

            public sealed class MultiStepLR(Optimizer optimizer, IReadOnlyList<int> milestones, double gamma = 0.1) : LRScheduler(optimizer)
            {
                protected override double Rate(double initial, int epoch) => initial * Math.Pow(gamma, milestones.Count(m => m <= epoch));
            }

            public sealed class ExponentialLR(Optimizer optimizer, double gamma) : LRScheduler(optimizer)
            {
                protected override double Rate(double initial, int epoch) => initial * Math.Pow(gamma, epoch);
            }

            public sealed class CosineAnnealingLR(Optimizer optimizer, double T_max, double eta_min = 0) : LRScheduler(optimizer)
            {
                protected override double Rate(double initial, int epoch) =>
                    eta_min + (initial - eta_min) * (1 + Math.Cos(Math.PI * epoch / T_max)) / 2;
            }
        }
    }

    public static partial class nn
    {
        public static class utils
        {
            /// <summary>Scales all gradients so their joint L2 norm is at most <paramref name="max_norm"/>; returns the norm before clipping.</summary>
            public static double clip_grad_norm_(IEnumerable<Parameter> parameters, double max_norm, double eps = 1e-6)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var grads = parameters.Select(p => p.grad).Where(g => g is not null).Cast<Tensor>().ToList();
                if (grads.Count == 0) return 0;
                var norms = grads.Select(g => g.norm()).ToList();
                double total = stack(norms).norm().item<double>();
                double coef = max_norm / (total + eps);
                if (coef < 1) foreach (var g in grads) g.mul_(coef);
                return total;
            }

            /// <summary>Clamps every gradient element to ±<paramref name="clip_value"/>.</summary>
            public static void clip_grad_value_(IEnumerable<Parameter> parameters, double clip_value)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                foreach (var p in parameters) p.grad?.clamp_(-clip_value, clip_value);
            }
        }
    }
}
