using System.Runtime.InteropServices;

namespace Sr.Torch.Native;

/// <summary>The flat C ABI of native/src (libsrnative.so). Every call that can fail reports through sr_take_error.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = "srnative";

    [LibraryImport(Lib)] internal static partial int sr_take_error(byte* buf, int cap);
    [LibraryImport(Lib)] internal static partial int sr_version(byte* buf, int cap);
    [LibraryImport(Lib)] internal static partial int sr_parallel_info(byte* buf, int cap);
    [LibraryImport(Lib)] internal static partial long sr_live_tensors();
    [LibraryImport(Lib)] internal static partial int sr_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int sr_get_num_threads();
    [LibraryImport(Lib)] internal static partial int sr_blas_num_threads();
    [LibraryImport(Lib)] internal static partial int sr_cpu_cache_enabled();
    [LibraryImport(Lib)] internal static partial void sr_cpu_cache_stats(out long cached, out long hits, out long misses);
    [LibraryImport(Lib)] internal static partial void sr_cpu_empty_cache();
    [LibraryImport(Lib)] internal static partial void sr_cpu_cache_peak(out long inUse, out long peak);
    [LibraryImport(Lib)] internal static partial void sr_cpu_cache_reset_peak();
    [LibraryImport(Lib)] internal static partial void sr_cpu_cache_set_limit(long bytes);
    [LibraryImport(Lib)] internal static partial int sr_manual_seed(ulong seed);
    [LibraryImport(Lib)] internal static partial int sr_set_deterministic(int on);
    [LibraryImport(Lib)] internal static partial int sr_cuda_available();
    [LibraryImport(Lib)] internal static partial int sr_cuda_device_count();
    [LibraryImport(Lib)] internal static partial int sr_grad_enabled();
    [LibraryImport(Lib)] internal static partial void sr_set_grad_enabled(int on);
    [LibraryImport(Lib)] internal static partial IntPtr sr_inference_mode_enter(int on);
    [LibraryImport(Lib)] internal static partial void sr_inference_mode_exit(IntPtr guard);

    // tensors
    [LibraryImport(Lib)] internal static partial void sr_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr sr_from_data(void* data, long* shape, int ndim, int dtype, int devType, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr sr_factory(int kind, long* shape, int ndim, double value, int dtype, int devType, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr sr_arange(double start, double end, double step, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] internal static partial IntPtr sr_linspace(double start, double end, long steps, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] internal static partial IntPtr sr_randint(long low, long high, long* shape, int ndim, int devType, int devIndex);
    [LibraryImport(Lib)] internal static partial IntPtr sr_randperm(long n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_like(TensorHandle t, int kind, double value);
    [LibraryImport(Lib)] internal static partial int sr_ndim(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_shape(TensorHandle t, long* output, int cap);
    [LibraryImport(Lib)] internal static partial int sr_strides(TensorHandle t, long* output, int cap);
    [LibraryImport(Lib)] internal static partial int sr_dtype(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_device_type(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_device_index(TensorHandle t);
    [LibraryImport(Lib)] internal static partial long sr_numel(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_is_contiguous(TensorHandle t, int channelsLast);
    [LibraryImport(Lib)] internal static partial void* sr_data_ptr(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_copy_out(TensorHandle t, void* dst, long nbytes);
    [LibraryImport(Lib)] internal static partial int sr_copy_in(TensorHandle t, void* src, long nbytes);
    [LibraryImport(Lib)] internal static partial double sr_item(TensorHandle t, out int status);
    [LibraryImport(Lib)] internal static partial IntPtr sr_to(TensorHandle t, int dtype, int devType, int devIndex, int copy);
    [LibraryImport(Lib)] internal static partial IntPtr sr_contiguous(TensorHandle t, int channelsLast);
    [LibraryImport(Lib)] internal static partial IntPtr sr_clone(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr sr_alias(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr sr_reshape(TensorHandle t, long* shape, int n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_view(TensorHandle t, long* shape, int n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_permute(TensorHandle t, long* dims, int n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_transpose(TensorHandle t, long a, long b);
    [LibraryImport(Lib)] internal static partial IntPtr sr_squeeze(TensorHandle t, long dim, int all);
    [LibraryImport(Lib)] internal static partial IntPtr sr_unsqueeze(TensorHandle t, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr sr_flatten(TensorHandle t, long start, long end);
    [LibraryImport(Lib)] internal static partial IntPtr sr_expand(TensorHandle t, long* shape, int n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_slice(TensorHandle t, long dim, long start, long end, long step);
    [LibraryImport(Lib)] internal static partial IntPtr sr_select(TensorHandle t, long dim, long index);
    [LibraryImport(Lib)] internal static partial IntPtr sr_index_select(TensorHandle t, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial IntPtr sr_masked_select(TensorHandle t, TensorHandle mask);
    [LibraryImport(Lib)] internal static partial IntPtr sr_flip(TensorHandle t, long* dims, int n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_roll(TensorHandle t, long* shifts, long* dims, int n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_rot90(TensorHandle t, long k, long d0, long d1);
    [LibraryImport(Lib)] internal static partial IntPtr sr_cat(IntPtr* list, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr sr_stack(IntPtr* list, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr sr_repeat(TensorHandle t, long* reps, int n);
    [LibraryImport(Lib)] internal static partial int sr_chunk(TensorHandle t, long chunks, long dim, IntPtr* output, int cap);

    // autograd
    [LibraryImport(Lib)] internal static partial int sr_requires_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_set_requires_grad(TensorHandle t, int on);
    [LibraryImport(Lib)] internal static partial int sr_is_leaf(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr sr_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_set_grad(TensorHandle t, TensorHandle g);
    [LibraryImport(Lib)] internal static partial IntPtr sr_detach(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int sr_backward(TensorHandle t, TensorHandle grad, int retainGraph);
    [LibraryImport(Lib)] internal static partial int sr_autograd_grad(TensorHandle t, TensorHandle grad, IntPtr* inputs, int n, int createGraph, IntPtr* output);

    // ops
    [LibraryImport(Lib)] internal static partial IntPtr sr_unary(int op, TensorHandle x);
    [LibraryImport(Lib)] internal static partial IntPtr sr_binary(int op, TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr sr_binary_scalar(int op, TensorHandle a, double s, double alpha);
    [LibraryImport(Lib)] internal static partial int sr_inplace_binary(int op, TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Lib)] internal static partial int sr_inplace_scalar(int op, TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial int sr_inplace_unary(int op, TensorHandle a);
    [LibraryImport(Lib)] internal static partial int sr_addcmul_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] internal static partial int sr_addcdiv_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] internal static partial IntPtr sr_addcdiv(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] internal static partial int sr_lerp_(TensorHandle t, TensorHandle end, double weight);
    [LibraryImport(Lib)] internal static partial int sr_random_(TensorHandle t, int kind, double a, double b);
    [LibraryImport(Lib)] internal static partial IntPtr sr_clamp(TensorHandle x, double lo, double hi);
    [LibraryImport(Lib)] internal static partial IntPtr sr_where(TensorHandle cond, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr sr_masked_fill(TensorHandle x, TensorHandle mask, double v);
    [LibraryImport(Lib)] internal static partial IntPtr sr_softmax(TensorHandle x, long dim, int log);
    [LibraryImport(Lib)] internal static partial IntPtr sr_nan_to_num(TensorHandle x, double nan, double posinf, double neginf);
    [LibraryImport(Lib)] internal static partial IntPtr sr_reduce(int op, TensorHandle x, long* dims, int n, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr sr_arg_reduce(int op, TensorHandle x, long dim, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr sr_cumsum(TensorHandle x, long dim);
    [LibraryImport(Lib)] internal static partial int sr_topk(TensorHandle x, long k, long dim, int largest, out IntPtr values, out IntPtr indices);
    [LibraryImport(Lib)] internal static partial IntPtr sr_matmul(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr sr_mm(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr sr_bmm(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr sr_linear(TensorHandle x, TensorHandle w, TensorHandle b);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr sr_einsum(string eq, IntPtr* list, int n);
    [LibraryImport(Lib)] internal static partial IntPtr sr_gather(TensorHandle x, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial IntPtr sr_scatter(TensorHandle x, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Lib)] internal static partial IntPtr sr_scatter_add(TensorHandle x, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int sr_scatter_add_(TensorHandle x, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Lib)] internal static partial IntPtr sr_index_add(TensorHandle x, long dim, TensorHandle index, TensorHandle src, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr sr_nonzero(TensorHandle x);
    [LibraryImport(Lib)] internal static partial IntPtr sr_one_hot(TensorHandle x, long classes);
    [LibraryImport(Lib)] internal static partial IntPtr sr_pad(TensorHandle x, long* pads, int n, int mode, double value);

    // nn
    [LibraryImport(Lib)] internal static partial IntPtr sr_conv2d(TensorHandle x, TensorHandle w, TensorHandle b, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Lib)] internal static partial IntPtr sr_conv_transpose2d(TensorHandle x, TensorHandle w, TensorHandle b, long* stride, long* padding, long* outputPadding, long groups, long* dilation);
    [LibraryImport(Lib)] internal static partial IntPtr sr_pixel_shuffle(TensorHandle x, long r);
    [LibraryImport(Lib)] internal static partial IntPtr sr_pixel_unshuffle(TensorHandle x, long r);
    [LibraryImport(Lib)] internal static partial IntPtr sr_interpolate(TensorHandle x, long* size, double* scale, int mode, int alignCorners, int antialias);
    [LibraryImport(Lib)] internal static partial IntPtr sr_avg_pool2d(TensorHandle x, long* k, long* s, long* p, int ceilMode, int countIncludePad);
    [LibraryImport(Lib)] internal static partial IntPtr sr_max_pool2d(TensorHandle x, long* k, long* s, long* p, long* d, int ceilMode);
    [LibraryImport(Lib)] internal static partial IntPtr sr_adaptive_avg_pool2d(TensorHandle x, long* size);
    [LibraryImport(Lib)] internal static partial IntPtr sr_unfold(TensorHandle x, long* k, long* d, long* p, long* s);
    [LibraryImport(Lib)] internal static partial IntPtr sr_leaky_relu(TensorHandle x, double slope);
    [LibraryImport(Lib)] internal static partial IntPtr sr_prelu(TensorHandle x, TensorHandle w);
    [LibraryImport(Lib)] internal static partial IntPtr sr_elu(TensorHandle x, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr sr_hardtanh(TensorHandle x, double lo, double hi);
    [LibraryImport(Lib)] internal static partial IntPtr sr_dropout(TensorHandle x, double p, int train);
    [LibraryImport(Lib)] internal static partial IntPtr sr_batch_norm(TensorHandle x, TensorHandle runningMean, TensorHandle runningVar, TensorHandle w, TensorHandle b, int training, double momentum, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr sr_layer_norm(TensorHandle x, long* shape, int n, TensorHandle w, TensorHandle b, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr sr_loss(int kind, TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, double param);
    [LibraryImport(Lib)] internal static partial IntPtr sr_cosine_similarity(TensorHandle a, TensorHandle b, long dim, double eps);

    // images
    [LibraryImport(Lib)] internal static partial int sr_image_set_global_pixel_limit(long maxPixels);
    [LibraryImport(Lib)] internal static partial IntPtr sr_image_decode(byte* data, long len, out int bitDepth);
    [LibraryImport(Lib)] internal static partial IntPtr sr_image_decode2(byte* data, long len, out int bitDepth, out IntPtr diagnostics);
    [LibraryImport(Lib)] internal static partial int sr_image_encode(TensorHandle hwc, int format, int param, out IntPtr output, out long outLen);
    [LibraryImport(Lib)] internal static partial void sr_buffer_free(IntPtr p);
}
