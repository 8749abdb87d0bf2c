namespace Sr.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Weight initialisers, as <c>torch.nn.init</c> (in place, without autograd).</summary>
        public static class init
        {
            public enum FanInOut { FanIn, FanOut }
            public enum NonlinearityType { Linear, Conv2D, Sigmoid, Tanh, ReLU, LeakyReLU }

            public static (long fanIn, long fanOut) calculate_fan_in_and_fan_out(Tensor t)
            {
                var s = t.shape;
                if (s.Length < 2) throw new ArgumentException("Fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions.");
                long receptive = 1;
                for (int i = 2; i < s.Length; i++) receptive *= s[i];
                return (s[1] * receptive, s[0] * receptive);
            }

            public static double calculate_gain(NonlinearityType nonlinearity, double param = 0.01) => nonlinearity switch
            {
                NonlinearityType.Tanh => 5.0 / 3,
                NonlinearityType.ReLU => Math.Sqrt(2.0),
                NonlinearityType.LeakyReLU => Math.Sqrt(2.0 / (1 + param * param)),
                _ => 1.0,
            };

            public static Tensor uniform_(Tensor t, double low = 0, double high = 1) { using (no_grad()) return t.uniform_(low, high); }
            public static Tensor normal_(Tensor t, double mean = 0, double std = 1) { using (no_grad()) return t.normal_(mean, std); }
            public static Tensor constant_(Tensor t, double value) { using (no_grad()) return t.fill_(value); }
            public static Tensor zeros_(Tensor t) { using (no_grad()) return t.zero_(); }
            public static Tensor ones_(Tensor t) => constant_(t, 1);

            public static Tensor kaiming_uniform_(Tensor t, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                var (fi, fo) = calculate_fan_in_and_fan_out(t);
                double std = calculate_gain(nonlinearity, a) / Math.Sqrt(mode == FanInOut.FanIn ? fi : fo);
                double bound = Math.Sqrt(3.0) * std;
                return uniform_(t, -bound, bound);
            }

            public static Tensor kaiming_normal_(Tensor t, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                var (fi, fo) = calculate_fan_in_and_fan_out(t);
                return normal_(t, 0, calculate_gain(nonlinearity, a) / Math.Sqrt(mode == FanInOut.FanIn ? fi : fo));
            }

            public static Tensor xavier_uniform_(Tensor t, double gain = 1)
            {
                var (fi, fo) = calculate_fan_in_and_fan_out(t);
                double bound = gain * Math.Sqrt(6.0 / (fi + fo));
                return uniform_(t, -bound, bound);
            }

            public static Tensor xavier_normal_(Tensor t, double gain = 1)
            {
                var (fi, fo) = calculate_fan_in_and_fan_out(t);
                return normal_(t, 0, gain * Math.Sqrt(2.0 / (fi + fo)));
            }
        }
    }
}
