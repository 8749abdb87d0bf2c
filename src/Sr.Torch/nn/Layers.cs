using static Sr.Torch.torch.nn.functional;

namespace Sr.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>PyTorch's default initialisation of a conv/linear layer: kaiming_uniform(a=√5) weights, U(±1/√fan_in) bias.</summary>
        internal static void ResetConvLike(Tensor weight, Tensor? bias)
        {
            init.kaiming_uniform_(weight, Math.Sqrt(5));
            if (bias is null) return;
            var (fanIn, _) = init.calculate_fan_in_and_fan_out(weight);
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            init.uniform_(bias, -bound, bound);
        }

        public sealed class Conv2d : Module<Tensor, Tensor>
        {
            public readonly Parameter weight;
            public readonly Parameter? bias;
            public readonly long in_channels, out_channels, kernel_size, stride, padding, dilation, groups;
            public readonly PaddingModes padding_mode;

            public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1,
                PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true) : base(nameof(Conv2d))
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(in_channels);
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(out_channels);
                if (in_channels % groups != 0 || out_channels % groups != 0) throw new ArgumentException("in_channels and out_channels must be divisible by groups.");
                (this.in_channels, this.out_channels, this.kernel_size, this.stride, this.padding, this.dilation, this.groups, this.padding_mode) =
                    (in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode);
                using (var w = empty([out_channels, in_channels / groups, kernel_size, kernel_size])) weight = new Parameter(w);
                if (bias) using (var b = empty([out_channels])) this.bias = new Parameter(b);
                ResetConvLike(weight, this.bias);
                RegisterComponents();
            }

            public override Tensor forward(Tensor input)
            {
                if (padding_mode is PaddingModes.Zeros or PaddingModes.Constant || padding == 0)
                    return conv2d(input, weight, bias, stride, padding, dilation, groups);
                using var padded = pad(input, [padding, padding, padding, padding], padding_mode);
                return conv2d(padded, weight, bias, stride, 0, dilation, groups);
            }

            protected override string ExtraRepr() => $"{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}, padding={padding}";
        }

        public sealed class ConvTranspose2d : Module<Tensor, Tensor>
        {
            public readonly Parameter weight;
            public readonly Parameter? bias;
            public readonly long in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, dilation;

            public ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0,
                long groups = 1, bool bias = true, long dilation = 1) : base(nameof(ConvTranspose2d))
            {
                (this.in_channels, this.out_channels, this.kernel_size, this.stride, this.padding, this.output_padding, this.groups, this.dilation) =
                    (in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, dilation);
                // PyTorch's layout for transposed convolutions: in × out/groups × k × k (fan-in is computed from dim 1).
                using (var w = empty([in_channels, out_channels / groups, kernel_size, kernel_size])) weight = new Parameter(w);
                if (bias) using (var b = empty([out_channels])) this.bias = new Parameter(b);
                ResetConvLike(weight, this.bias);
                RegisterComponents();
            }

            public override Tensor forward(Tensor input) => conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation);

            protected override string ExtraRepr() => $"{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}";
        }

        public sealed class Linear : Module<Tensor, Tensor>
        {
            public readonly Parameter weight;
            public readonly Parameter? bias;
            public readonly long in_features, out_features;

            public Linear(long in_features, long out_features, bool hasBias = true) : base(nameof(Linear))
            {
                (this.in_features, this.out_features) = (in_features, out_features);
                using (var w = empty([out_features, in_features])) weight = new Parameter(w);
                if (hasBias) using (var b = empty([out_features])) bias = new Parameter(b);
                ResetConvLike(weight, bias);
                RegisterComponents();
            }

            public override Tensor forward(Tensor input) => linear(input, weight, bias);

            protected override string ExtraRepr() => $"in_features={in_features}, out_features={out_features}";
        }

        public sealed class PReLU : Module<Tensor, Tensor>
        {
            public readonly Parameter weight;

            public PReLU(long num_parameters = 1, double init = 0.25) : base(nameof(PReLU))
            {
                using (var w = full([num_parameters], init)) weight = new Parameter(w);
                RegisterComponents();
            }

            public override Tensor forward(Tensor input) => prelu(input, weight);
        }

        public sealed class BatchNorm2d : Module<Tensor, Tensor>
        {
            public readonly Parameter? weight, bias;
            public readonly Tensor running_mean, running_var, num_batches_tracked;
            public readonly double eps, momentum;

            public BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true) : base(nameof(BatchNorm2d))
            {
                (this.eps, this.momentum) = (eps, momentum);
                if (affine)
                {
                    using (var w = ones(num_features)) weight = new Parameter(w);
                    using (var b = zeros(num_features)) bias = new Parameter(b);
                }
                running_mean = zeros(num_features);
                running_var = ones(num_features);
                num_batches_tracked = zeros([], ScalarType.Int64);
                RegisterComponents();
            }

            public override Tensor forward(Tensor input)
            {
                if (training) using (no_grad()) num_batches_tracked.add_(1);
                return batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps);
            }
        }

        /// <summary>A stateless function as a module (activations, shuffles, resampling).</summary>
        public sealed class Lambda : Module<Tensor, Tensor>
        {
            private readonly Func<Tensor, Tensor> _fn;
            private readonly string _repr;

            public Lambda(string name, Func<Tensor, Tensor> fn, string repr = "") : base(name) => (_fn, _repr) = (fn, repr);

            public override Tensor forward(Tensor input) => _fn(input);

            protected override string ExtraRepr() => _repr;
        }

        public static Lambda ReLU() => new(nameof(ReLU), x => x.relu());
        public static Lambda LeakyReLU(double negative_slope = 0.01) => new(nameof(LeakyReLU), x => leaky_relu(x, negative_slope), $"negative_slope={negative_slope}");
        public static Lambda Sigmoid() => new(nameof(Sigmoid), x => x.sigmoid());
        public static Lambda Tanh() => new(nameof(Tanh), x => x.tanh());
        public static Lambda Identity() => new(nameof(Identity), x => x.alias());
        public static Lambda PixelShuffle(long upscale_factor) => new(nameof(PixelShuffle), x => pixel_shuffle(x, upscale_factor), $"upscale_factor={upscale_factor}");
        public static Lambda PixelUnshuffle(long downscale_factor) => new(nameof(PixelUnshuffle), x => pixel_unshuffle(x, downscale_factor), $"downscale_factor={downscale_factor}");
        public static Lambda Upsample(double scale_factor, InterpolationMode mode = InterpolationMode.Nearest) =>
            new(nameof(Upsample), x => interpolate(x, scale_factor: [scale_factor], mode: mode), $"scale_factor={scale_factor}, mode={mode}");
        public static Lambda AvgPool2d(long kernel_size, long? stride = null) => new(nameof(AvgPool2d), x => avg_pool2d(x, kernel_size, stride));
        public static Lambda MaxPool2d(long kernel_size, long? stride = null) => new(nameof(MaxPool2d), x => max_pool2d(x, kernel_size, stride));

        /// <summary>Runs its modules in order; they are named "0", "1", … (or as given).</summary>
        public sealed class Sequential : Module<Tensor, Tensor>
        {
            private readonly List<Module<Tensor, Tensor>> _layers = [];

            public Sequential(params Module<Tensor, Tensor>[] layers) : base(nameof(Sequential))
            {
                foreach (var l in layers) append(l);
            }

            public Sequential(params (string name, Module<Tensor, Tensor> module)[] layers) : base(nameof(Sequential))
            {
                foreach (var (n, l) in layers) { register_module(n, l); _layers.Add(l); }
            }

            public Sequential append(Module<Tensor, Tensor> layer)
            {
                register_module(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
                _layers.Add(layer);
                return this;
            }

            public int Count => _layers.Count;
            public Module<Tensor, Tensor> this[int i] => _layers[i];

            public override Tensor forward(Tensor input)
            {
                if (_layers.Count == 0) return input.alias();
                var x = _layers[0].call(input);
                for (int i = 1; i < _layers.Count; i++)
                {
                    var next = _layers[i].call(x);
                    x.Dispose();
                    x = next;
                }
                return x;
            }
        }

        /// <summary>An indexed list of modules named "0", "1", … (the caller decides how to run them).</summary>
        public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
        {
            private readonly List<T> _items = [];

            public ModuleList(params T[] items) : base(nameof(ModuleList<T>))
            {
                foreach (var i in items) Add(i);
            }

            public void Add(T item)
            {
                register_module(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), item);
                _items.Add(item);
            }

            public T this[int index] => _items[index];
            public int Count => _items.Count;
            public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
