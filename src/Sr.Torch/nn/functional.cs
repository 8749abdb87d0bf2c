using Sr.Torch.Native;
using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public enum PaddingModes { Zeros, Constant, Reflect, Replicate, Circular, Symmetric }
        public enum InterpolationMode { Nearest, Bilinear, Bicubic, Area, NearestExact }
        public enum Reduction { None = 0, Mean = 1, Sum = 2 }

        /// <summary>The functionals, named as <c>torch.nn.functional</c>.</summary>
        public static unsafe class functional
        {
            private static TensorHandle H(Tensor? t) => t?.Handle ?? TensorHandle.Null;
            private static Tensor T(IntPtr h) => Tensor.From(h);

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, (long, long) stride, (long, long) padding, (long, long) dilation, long groups = 1)
            {
                long* s = stackalloc long[] { stride.Item1, stride.Item2 };
                long* p = stackalloc long[] { padding.Item1, padding.Item2 };
                long* d = stackalloc long[] { dilation.Item1, dilation.Item2 };
                return T(sr_conv2d(input.Handle, weight.Handle, H(bias), s, p, d, groups));
            }

            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, long dilation = 1)
            {
                long* s = stackalloc long[] { stride, stride };
                long* p = stackalloc long[] { padding, padding };
                long* o = stackalloc long[] { output_padding, output_padding };
                long* d = stackalloc long[] { dilation, dilation };
                return T(sr_conv_transpose2d(input.Handle, weight.Handle, H(bias), s, p, o, groups, d));
            }

            public static Tensor pixel_shuffle(Tensor input, long upscale_factor) => T(sr_pixel_shuffle(input.Handle, upscale_factor));
            public static Tensor pixel_unshuffle(Tensor input, long downscale_factor) => T(sr_pixel_unshuffle(input.Handle, downscale_factor));

            /// <summary>Resamples N×C×H×W to <paramref name="size"/> or by <paramref name="scale_factor"/> (PyTorch's semantics, antialias included).</summary>
            public static Tensor interpolate(Tensor input, long[]? size = null, double[]? scale_factor = null, InterpolationMode mode = InterpolationMode.Nearest,
                bool? align_corners = null, bool antialias = false)
            {
                if ((size == null) == (scale_factor == null)) throw new ArgumentException("Give exactly one of size and scale_factor.");
                if (size is { Length: not 2 } || scale_factor is { Length: not 2 } && scale_factor.Length != 1)
                    throw new ArgumentException("interpolate works on N×C×H×W: give two sizes or one/two scale factors.");
                double[]? sf = scale_factor is { Length: 1 } ? [scale_factor[0], scale_factor[0]] : scale_factor;
                fixed (long* s = size)
                fixed (double* f = sf)
                    return T(sr_interpolate(input.Handle, s, f, (int)mode, align_corners == true ? 1 : 0, antialias ? 1 : 0));
            }

            public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true)
            {
                long st = stride ?? kernel_size;
                long* k = stackalloc long[] { kernel_size, kernel_size };
                long* s = stackalloc long[] { st, st };
                long* p = stackalloc long[] { padding, padding };
                return T(sr_avg_pool2d(input.Handle, k, s, p, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0));
            }

            public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
            {
                long st = stride ?? kernel_size;
                long* k = stackalloc long[] { kernel_size, kernel_size };
                long* s = stackalloc long[] { st, st };
                long* p = stackalloc long[] { padding, padding };
                long* d = stackalloc long[] { dilation, dilation };
                return T(sr_max_pool2d(input.Handle, k, s, p, d, ceil_mode ? 1 : 0));
            }

            public static Tensor adaptive_avg_pool2d(Tensor input, long output_h, long output_w)
            {
                long* o = stackalloc long[] { output_h, output_w };
                return T(sr_adaptive_avg_pool2d(input.Handle, o));
            }

            /// <summary>im2col: N×C×H×W → N×(C·k·k)×L.</summary>
            public static Tensor unfold(Tensor input, long kernel_size, long dilation = 1, long padding = 0, long stride = 1)
            {
                long* k = stackalloc long[] { kernel_size, kernel_size };
                long* d = stackalloc long[] { dilation, dilation };
                long* p = stackalloc long[] { padding, padding };
                long* s = stackalloc long[] { stride, stride };
                return T(sr_unfold(input.Handle, k, d, p, s));
            }

            public static Tensor relu(Tensor x) => x.relu();
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor tanh(Tensor x) => x.tanh();
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) => T(sr_leaky_relu(x.Handle, negative_slope));
            public static Tensor prelu(Tensor x, Tensor weight) => T(sr_prelu(x.Handle, weight.Handle));
            public static Tensor elu(Tensor x, double alpha = 1) => T(sr_elu(x.Handle, alpha));
            public static Tensor hardtanh(Tensor x, double min_val = -1, double max_val = 1) => T(sr_hardtanh(x.Handle, min_val, max_val));
            public static Tensor dropout(Tensor x, double p = 0.5, bool training = true) => T(sr_dropout(x.Handle, p, training ? 1 : 0));
            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);
            public static Tensor linear(Tensor x, Tensor weight, Tensor? bias = null) => T(sr_linear(x.Handle, weight.Handle, H(bias)));

            public static Tensor batch_norm(Tensor x, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                T(sr_batch_norm(x.Handle, H(running_mean), H(running_var), H(weight), H(bias), training ? 1 : 0, momentum, eps));

            public static Tensor layer_norm(Tensor x, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* s = normalized_shape) return T(sr_layer_norm(x.Handle, s, normalized_shape.Length, H(weight), H(bias), eps));
            }

            /// <summary>
            /// Pads the last dimensions; <paramref name="pad"/> lists (left, right, top, bottom, …) as torch.nn.functional.pad.
            /// <see cref="PaddingModes.Symmetric"/> mirrors including the edge sample (MATLAB's 'symmetric'; NumPy's 'symmetric').
            /// </summary>
            public static Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                if (pad.Length % 2 != 0) throw new ArgumentException("Padding needs pairs of (before, after) values.", nameof(pad));
                if (mode == PaddingModes.Symmetric) return SymmetricPad(input, pad);
                int m = mode switch
                {
                    PaddingModes.Zeros or PaddingModes.Constant => 0,
                    PaddingModes.Reflect => 1,
                    PaddingModes.Replicate => 2,
                    PaddingModes.Circular => 3,
                    _ => throw new ArgumentOutOfRangeException(nameof(mode)),
                };
                // libtorch's non-constant modes want exactly (dims − 2) pairs for an N×C×… input: fill the rest with zeros.
                long spatial = input.dim() - 2;
                if (m != 0 && spatial > pad.Length / 2 && spatial <= 3) pad = [.. pad, .. new long[2 * spatial - pad.Length]];
                fixed (long* p = pad) return T(sr_pad(input.Handle, p, pad.Length, m, mode == PaddingModes.Zeros ? 0 : value));
            }

            private static Tensor SymmetricPad(Tensor input, long[] pad)
            {
                var shape = input.shape;
                Tensor current = input;
                var owned = new List<Tensor>();
                try
                {
                    for (int i = 0; i < pad.Length / 2; i++)
                    {
                        int dim = shape.Length - 1 - i;
                        long before = pad[2 * i], after = pad[2 * i + 1];
                        if (before == 0 && after == 0) continue;
                        using var index = tensor(SymmetricIndex(shape[dim], before, after), [shape[dim] + before + after]);
                        current = current.index_select(dim, index);
                        owned.Add(current);
                    }
                    if (owned.Count == 0) return input.alias();
                    owned.Remove(current);
                    return current;
                }
                finally
                {
                    foreach (var t in owned) t.Dispose();
                }
            }

            /// <summary>Source index of each output position for an edge-inclusive mirror (period 2n), as MATLAB's padarray 'symmetric'.</summary>
            public static long[] SymmetricIndex(long n, long before, long after)
            {
                if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
                var idx = new long[n + before + after];
                for (long o = 0; o < idx.Length; o++)
                {
                    long i = o - before;
                    long m = ((i % (2 * n)) + 2 * n) % (2 * n);
                    idx[o] = m < n ? m : 2 * n - 1 - m;
                }
                return idx;
            }

            // ---- losses ----
            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => T(sr_loss(0, input.Handle, target.Handle, TensorHandle.Null, (int)reduction, 0));
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => T(sr_loss(1, input.Handle, target.Handle, TensorHandle.Null, (int)reduction, 0));
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) => T(sr_loss(2, input.Handle, target.Handle, TensorHandle.Null, (int)reduction, beta));
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) => T(sr_loss(3, input.Handle, target.Handle, H(weight), (int)reduction, 0));
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, double label_smoothing = 0) => T(sr_loss(4, input.Handle, target.Handle, H(weight), (int)reduction, label_smoothing));
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) => T(sr_loss(5, input.Handle, target.Handle, H(weight), (int)reduction, 0));
            public static Tensor cosine_similarity(Tensor x1, Tensor x2, long dim = 1, double eps = 1e-8) => T(sr_cosine_similarity(x1.Handle, x2.Handle, dim, eps));
            public static Tensor one_hot(Tensor x, long num_classes = -1) => T(sr_one_hot(x.Handle, num_classes));
        }
    }
}
