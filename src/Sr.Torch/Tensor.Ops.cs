using Sr.Torch.Native;
using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch;

public unsafe partial class Tensor
{
    private Tensor U(Unary op) => From(sr_unary((int)op, Handle));
    private Tensor B(Binary op, Tensor other, double alpha = 1) => From(sr_binary((int)op, Handle, other.Handle, alpha));
    private Tensor S(Binary op, double s, double alpha = 1) => From(sr_binary_scalar((int)op, Handle, s, alpha));

    // ---- views and shape -----------------------------------------------------------------------
    public Tensor reshape(params long[] shape) { fixed (long* p = shape) return From(sr_reshape(Handle, p, shape.Length)); }
    public Tensor view(params long[] shape) { fixed (long* p = shape) return From(sr_view(Handle, p, shape.Length)); }
    public Tensor permute(params long[] dims) { fixed (long* p = dims) return From(sr_permute(Handle, p, dims.Length)); }
    public Tensor transpose(long dim0, long dim1) => From(sr_transpose(Handle, dim0, dim1));
    public Tensor t() => transpose(0, 1);
    public Tensor squeeze() => From(sr_squeeze(Handle, 0, 1));
    public Tensor squeeze(long dim) => From(sr_squeeze(Handle, dim, 0));
    public Tensor unsqueeze(long dim) => From(sr_unsqueeze(Handle, dim));
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => From(sr_flatten(Handle, start_dim, end_dim));
    public Tensor expand(params long[] shape) { fixed (long* p = shape) return From(sr_expand(Handle, p, shape.Length)); }
    public Tensor expand_as(Tensor other) => expand(other.shape);
    public Tensor repeat(params long[] repeats) { fixed (long* p = repeats) return From(sr_repeat(Handle, p, repeats.Length)); }

    /// <summary>Elements start..end (exclusive) with a step along <paramref name="dim"/>, as Python's <c>x[..., start:end:step]</c>.</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => From(sr_slice(Handle, dim, start, end, step));
    public Tensor narrow(long dim, long start, long length) => slice(dim, start, start + length);
    public Tensor select(long dim, long index) => From(sr_select(Handle, dim, index));
    public Tensor this[long index] => select(0, index);
    public Tensor index_select(long dim, Tensor index) => From(sr_index_select(Handle, dim, index.Handle));
    public Tensor masked_select(Tensor mask) => From(sr_masked_select(Handle, mask.Handle));
    public Tensor flip(params long[] dims) { fixed (long* p = dims) return From(sr_flip(Handle, p, dims.Length)); }
    public Tensor roll(long[] shifts, long[] dims) { fixed (long* s = shifts, d = dims) return From(sr_roll(Handle, s, d, dims.Length)); }
    public Tensor rot90(long k = 1, long dim0 = 0, long dim1 = 1) => From(sr_rot90(Handle, k, dim0, dim1));

    public Tensor[] chunk(long chunks, long dim = 0)
    {
        var output = new IntPtr[chunks];
        int n;
        fixed (IntPtr* p = output) n = sr_chunk(Handle, chunks, dim, p, output.Length);
        if (n < 0) throw Check.Failure("chunk failed");
        return output.Take(n).Select(From).ToArray();
    }

    public Tensor gather(long dim, Tensor index) => From(sr_gather(Handle, dim, index.Handle));
    public Tensor scatter(long dim, Tensor index, Tensor src) => From(sr_scatter(Handle, dim, index.Handle, src.Handle));
    public Tensor scatter_add(long dim, Tensor index, Tensor src) => From(sr_scatter_add(Handle, dim, index.Handle, src.Handle));
    /// <summary>In place (recorded by autograd like torch's): adds src into this tensor at index along dim.</summary>
    public Tensor scatter_add_(long dim, Tensor index, Tensor src) { Check.Status(sr_scatter_add_(Handle, dim, index.Handle, src.Handle)); return this; }
    public Tensor index_add(long dim, Tensor index, Tensor source, double alpha = 1) => From(sr_index_add(Handle, dim, index.Handle, source.Handle, alpha));
    public Tensor nonzero() => From(sr_nonzero(Handle));
    public Tensor masked_fill(Tensor mask, double value) => From(sr_masked_fill(Handle, mask.Handle, value));

    // ---- elementwise ------------------------------------------------------------------------------
    public Tensor add(Tensor other, double alpha = 1) => B(Binary.Add, other, alpha);
    public Tensor add(double other) => S(Binary.Add, other);
    public Tensor sub(Tensor other, double alpha = 1) => B(Binary.Sub, other, alpha);
    public Tensor sub(double other) => S(Binary.Sub, other);
    public Tensor mul(Tensor other) => B(Binary.Mul, other);
    public Tensor mul(double other) => S(Binary.Mul, other);
    public Tensor div(Tensor other) => B(Binary.Div, other);
    public Tensor div(double other) => S(Binary.Div, other);
    public Tensor pow(Tensor exponent) => B(Binary.Pow, exponent);
    public Tensor pow(double exponent) => S(Binary.Pow, exponent);
    public Tensor maximum(Tensor other) => B(Binary.Maximum, other);
    public Tensor minimum(Tensor other) => B(Binary.Minimum, other);
    public Tensor atan2(Tensor other) => B(Binary.Atan2, other);
    public Tensor remainder(double other) => S(Binary.Remainder, other);
    public Tensor floor_divide(double other) => S(Binary.FloorDivide, other);
    public Tensor eq(Tensor other) => B(Binary.Eq, other);
    public Tensor eq(double other) => S(Binary.Eq, other);
    public Tensor ne(Tensor other) => B(Binary.Ne, other);
    public Tensor ne(double other) => S(Binary.Ne, other);
    public Tensor lt(Tensor other) => B(Binary.Lt, other);
    public Tensor lt(double other) => S(Binary.Lt, other);
    public Tensor le(Tensor other) => B(Binary.Le, other);
    public Tensor le(double other) => S(Binary.Le, other);
    public Tensor gt(Tensor other) => B(Binary.Gt, other);
    public Tensor gt(double other) => S(Binary.Gt, other);
    public Tensor ge(Tensor other) => B(Binary.Ge, other);
    public Tensor ge(double other) => S(Binary.Ge, other);
    public Tensor logical_and(Tensor other) => B(Binary.LogicalAnd, other);
    public Tensor logical_or(Tensor other) => B(Binary.LogicalOr, other);
    public Tensor logical_not() => U(Unary.LogicalNot);

    public Tensor neg() => U(Unary.Neg);
    public Tensor abs() => U(Unary.Abs);
    public Tensor exp() => U(Unary.Exp);
    public Tensor log() => U(Unary.Log);
    public Tensor log2() => U(Unary.Log2);
    public Tensor log10() => U(Unary.Log10);
    public Tensor log1p() => U(Unary.Log1p);
    public Tensor sqrt() => U(Unary.Sqrt);
    public Tensor rsqrt() => U(Unary.Rsqrt);
    public Tensor sin() => U(Unary.Sin);
    public Tensor cos() => U(Unary.Cos);
    public Tensor atan() => U(Unary.Atan);
    public Tensor relu() => U(Unary.Relu);
    public Tensor sigmoid() => U(Unary.Sigmoid);
    public Tensor tanh() => U(Unary.Tanh);
    public Tensor floor() => U(Unary.Floor);
    public Tensor ceil() => U(Unary.Ceil);
    /// <summary>Rounds half to even, as torch.round does.</summary>
    public Tensor round() => U(Unary.Round);
    public Tensor trunc() => U(Unary.Trunc);
    public Tensor sign() => U(Unary.Sign);
    public Tensor square() => U(Unary.Square);
    public Tensor reciprocal() => U(Unary.Reciprocal);
    public Tensor isnan() => U(Unary.IsNan);
    public Tensor isinf() => U(Unary.IsInf);
    public Tensor isfinite() => U(Unary.IsFinite);

    public Tensor clamp(double? min = null, double? max = null) => From(sr_clamp(Handle, min ?? double.NaN, max ?? double.NaN));
    public Tensor clamp_min(double min) => S(Binary.Maximum, min);
    public Tensor clamp_max(double max) => S(Binary.Minimum, max);
    public Tensor nan_to_num(double nan = 0, double posinf = double.MaxValue, double neginf = double.MinValue) =>
        From(sr_nan_to_num(Handle, nan, posinf, neginf));
    public Tensor softmax(long dim) => From(sr_softmax(Handle, dim, 0));
    public Tensor log_softmax(long dim) => From(sr_softmax(Handle, dim, 1));

    // ---- in-place: autograd records them as torch does (optimizers and initialisers call them under no_grad; a network may
    // use one where the backward pass does not need the overwritten values, e.g. relu_ after a convolution) ----
    private Tensor IB(InplaceBinary op, Tensor other, double alpha = 1) { Check.Status(sr_inplace_binary((int)op, Handle, other.Handle, alpha)); return this; }
    private Tensor IS(InplaceScalar op, double s) { Check.Status(sr_inplace_scalar((int)op, Handle, s)); return this; }
    private Tensor IU(InplaceUnary op) { Check.Status(sr_inplace_unary((int)op, Handle)); return this; }

    public Tensor add_(Tensor other, double alpha = 1) => IB(InplaceBinary.Add, other, alpha);
    public Tensor add_(double other) => IS(InplaceScalar.Add, other);
    public Tensor sub_(Tensor other, double alpha = 1) => IB(InplaceBinary.Sub, other, alpha);
    public Tensor sub_(double other) => IS(InplaceScalar.Sub, other);
    public Tensor mul_(Tensor other) => IB(InplaceBinary.Mul, other);
    public Tensor mul_(double other) => IS(InplaceScalar.Mul, other);
    public Tensor div_(Tensor other) => IB(InplaceBinary.Div, other);
    public Tensor div_(double other) => IS(InplaceScalar.Div, other);
    public Tensor pow_(double exponent) => IS(InplaceScalar.Pow, exponent);
    public Tensor copy_(Tensor source) => IB(InplaceBinary.Copy, source);
    public Tensor maximum_(Tensor other) => IB(InplaceBinary.Maximum, other);
    public Tensor fill_(double value) => IS(InplaceScalar.Fill, value);
    public Tensor clamp_(double? min = null, double? max = null)
    {
        if (min is double lo) IS(InplaceScalar.ClampMin, lo);
        if (max is double hi) IS(InplaceScalar.ClampMax, hi);
        return this;
    }
    public Tensor zero_() => IU(InplaceUnary.Zero);
    public Tensor sqrt_() => IU(InplaceUnary.Sqrt);
    public Tensor relu_() => IU(InplaceUnary.Relu);
    public Tensor neg_() => IU(InplaceUnary.Neg);
    public Tensor round_() => IU(InplaceUnary.Round);
    public Tensor addcmul_(Tensor a, Tensor b, double value = 1) { Check.Status(sr_addcmul_(Handle, a.Handle, b.Handle, value)); return this; }
    public Tensor addcdiv_(Tensor a, Tensor b, double value = 1) { Check.Status(sr_addcdiv_(Handle, a.Handle, b.Handle, value)); return this; }
    public Tensor lerp_(Tensor end, double weight) { Check.Status(sr_lerp_(Handle, end.Handle, weight)); return this; }
    public Tensor uniform_(double from = 0, double to = 1) { Check.Status(sr_random_(Handle, 0, from, to)); return this; }
    public Tensor normal_(double mean = 0, double std = 1) { Check.Status(sr_random_(Handle, 1, mean, std)); return this; }

    // ---- reductions ---------------------------------------------------------------------------------
    private Tensor R(Reduction op, long[]? dims, bool keepdim)
    {
        dims ??= [];
        fixed (long* p = dims) return From(sr_reduce((int)op, Handle, p, dims.Length, keepdim ? 1 : 0));
    }

    public Tensor sum() => R(Reduction.Sum, null, false);
    public Tensor sum(long dim, bool keepdim = false) => R(Reduction.Sum, [dim], keepdim);
    public Tensor sum(long[] dims, bool keepdim = false) => R(Reduction.Sum, dims, keepdim);
    public Tensor mean() => R(Reduction.Mean, null, false);
    public Tensor mean(long dim, bool keepdim = false) => R(Reduction.Mean, [dim], keepdim);
    public Tensor mean(long[] dims, bool keepdim = false) => R(Reduction.Mean, dims, keepdim);
    public Tensor max() => R(Reduction.Amax, null, false);
    public Tensor min() => R(Reduction.Amin, null, false);
    public Tensor amax(long[] dims, bool keepdim = false) => R(Reduction.Amax, dims, keepdim);
    public Tensor amin(long[] dims, bool keepdim = false) => R(Reduction.Amin, dims, keepdim);
    public Tensor prod() => R(Reduction.Prod, null, false);
    public Tensor std() => R(Reduction.Std, null, false);
    public Tensor std(long[] dims, bool keepdim = false) => R(Reduction.Std, dims, keepdim);
    public Tensor var() => R(Reduction.Var, null, false);
    public Tensor var(long[] dims, bool keepdim = false) => R(Reduction.Var, dims, keepdim);
    public Tensor norm() => R(Reduction.Norm2, null, false);
    public Tensor norm(long[] dims, bool keepdim = false) => R(Reduction.Norm2, dims, keepdim);
    public Tensor logsumexp(long dim, bool keepdim = false) => R(Reduction.LogSumExp, [dim], keepdim);
    public Tensor any() => R(Reduction.Any, null, false);
    public Tensor all() => R(Reduction.All, null, false);
    public Tensor argmax(long dim, bool keepdim = false) => From(sr_arg_reduce(0, Handle, dim, keepdim ? 1 : 0));
    public Tensor argmin(long dim, bool keepdim = false) => From(sr_arg_reduce(1, Handle, dim, keepdim ? 1 : 0));
    public Tensor cumsum(long dim) => From(sr_cumsum(Handle, dim));

    public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true)
    {
        Check.Status(sr_topk(Handle, k, dim, largest ? 1 : 0, out var v, out var i));
        return (From(v), From(i));
    }

    public Tensor matmul(Tensor other) => From(sr_matmul(Handle, other.Handle));
    public Tensor mm(Tensor other) => From(sr_mm(Handle, other.Handle));
    public Tensor bmm(Tensor other) => From(sr_bmm(Handle, other.Handle));

    // ---- operators -------------------------------------------------------------------------------------
    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    public static Tensor operator -(double a, Tensor b) => b.S(Binary.RSub, a);
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    public static Tensor operator /(double a, Tensor b) => b.S(Binary.RDiv, a);
    public static Tensor operator -(Tensor a) => a.neg();
}
