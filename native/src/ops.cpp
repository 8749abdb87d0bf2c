// Elementwise, reduction, indexing and linear-algebra ops. Op codes mirror Sr.Torch's native enums
// (src/Sr.Torch/Native/OpCodes.cs): keep the two lists in the same order.
#include "common.h"
#include <cmath>


// A whole-number double from .NET becomes an integral Scalar, so integer tensors stay integer (as a Python int
// literal would) and integer ops accept alpha = 1; other values stay floating point.
static c10::Scalar num(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) return c10::Scalar(static_cast<int64_t>(v));
  return c10::Scalar(v);
}

static at::Tensor unary(int op, const at::Tensor& x) {
  switch (op) {
    case 0: return x.neg();
    case 1: return x.abs();
    case 2: return x.exp();
    case 3: return x.log();
    case 4: return x.sqrt();
    case 5: return x.rsqrt();
    case 6: return x.sin();
    case 7: return x.cos();
    case 8: return x.relu();
    case 9: return x.sigmoid();
    case 10: return x.tanh();
    case 11: return x.floor();
    case 12: return x.ceil();
    case 13: return x.round();
    case 14: return x.sign();
    case 15: return x.square();
    case 16: return x.reciprocal();
    case 17: return x.log1p();
    case 18: return x.trunc();
    case 19: return x.isnan();
    case 20: return x.isinf();
    case 21: return x.isfinite();
    case 22: return x.logical_not();
    case 23: return at::gelu(x);
    case 24: return at::silu(x);
    case 25: return x.atan();
    case 26: return x.log2();
    case 27: return x.log10();
    case 28: return at::softplus(x);
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
}

static at::Tensor binary(int op, const at::Tensor& a, const at::Tensor& b, double alpha) {
  switch (op) {
    case 0: return at::add(a, b, num(alpha));
    case 1: return at::sub(a, b, num(alpha));
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::pow(a, b);
    case 5: return at::maximum(a, b);
    case 6: return at::minimum(a, b);
    case 7: return at::eq(a, b);
    case 8: return at::ne(a, b);
    case 9: return at::lt(a, b);
    case 10: return at::le(a, b);
    case 11: return at::gt(a, b);
    case 12: return at::ge(a, b);
    case 13: return at::atan2(a, b);
    case 14: return at::remainder(a, b);
    case 15: return at::logical_and(a, b);
    case 16: return at::logical_or(a, b);
    case 17: return at::floor_divide(a, b);
    default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
  }
}

static at::Tensor binary_scalar(int op, const at::Tensor& a, double s, double alpha) {
  switch (op) {
    case 0: return at::add(a, num(s), num(alpha));
    case 1: return at::sub(a, num(s), num(alpha));
    case 2: return at::mul(a, num(s));
    case 3: return at::div(a, s);
    case 4: return at::pow(a, s);
    case 5: return at::clamp_min(a, s);
    case 6: return at::clamp_max(a, s);
    case 7: return at::eq(a, s);
    case 8: return at::ne(a, s);
    case 9: return at::lt(a, s);
    case 10: return at::le(a, s);
    case 11: return at::gt(a, s);
    case 12: return at::ge(a, s);
    case 14: return at::remainder(a, s);
    case 17: return at::floor_divide(a, s);
    case 18: return at::rsub(a, num(s), num(alpha));  // s - a
    case 19: return at::reciprocal(a).mul(s);  // s / a
    case 20: return at::pow(s, a);             // s ^ a
    default: throw std::invalid_argument("unknown scalar op " + std::to_string(op));
  }
}

SR_API TH sr_unary(int op, TH x) { SR_TENSOR(unary(op, *x)) }
SR_API TH sr_binary(int op, TH a, TH b, double alpha) { SR_TENSOR(binary(op, *a, *b, alpha)) }
SR_API TH sr_binary_scalar(int op, TH a, double s, double alpha) { SR_TENSOR(binary_scalar(op, *a, s, alpha)) }

// ---- in-place (optimizers, initialisation) -----------------------------------------------------
// 0 add_(b, alpha) 1 sub_ 2 mul_ 3 div_ 4 copy_ 5 maximum (out= a)
SR_API int sr_inplace_binary(int op, TH a, TH b, double alpha) {
  SR_STATUS(({
    switch (op) {
      case 0: a->add_(*b, num(alpha)); break;
      case 1: a->sub_(*b, num(alpha)); break;
      case 2: a->mul_(*b); break;
      case 3: a->div_(*b); break;
      case 4: a->copy_(*b); break;
      case 5: at::maximum_out(*a, *a, *b); break;
      default: throw std::invalid_argument("unknown in-place op");
    }
  }))
}
// 0 add_ 1 sub_ 2 mul_ 3 div_ 4 fill_ 5 clamp_min_ 6 clamp_max_ 7 pow_
SR_API int sr_inplace_scalar(int op, TH a, double s) {
  SR_STATUS(({
    switch (op) {
      case 0: a->add_(num(s)); break;
      case 1: a->sub_(num(s)); break;
      case 2: a->mul_(num(s)); break;
      case 3: a->div_(s); break;
      case 4: a->fill_(num(s)); break;
      case 5: a->clamp_min_(s); break;
      case 6: a->clamp_max_(s); break;
      case 7: a->pow_(s); break;
      default: throw std::invalid_argument("unknown in-place scalar op");
    }
  }))
}
// 0 zero_ 1 sqrt_ 2 relu_ 3 neg_ 4 abs_ 5 round_ 6 sign_
SR_API int sr_inplace_unary(int op, TH a) {
  SR_STATUS(({
    switch (op) {
      case 0: a->zero_(); break;
      case 1: a->sqrt_(); break;
      case 2: a->relu_(); break;
      case 3: a->neg_(); break;
      case 4: a->abs_(); break;
      case 5: a->round_(); break;
      case 6: a->sign_(); break;
      default: throw std::invalid_argument("unknown in-place unary op");
    }
  }))
}
SR_API int sr_addcmul_(TH t, TH a, TH b, double value) { SR_STATUS(t->addcmul_(*a, *b, value)) }
SR_API int sr_addcdiv_(TH t, TH a, TH b, double value) { SR_STATUS(t->addcdiv_(*a, *b, value)) }
SR_API TH sr_addcdiv(TH t, TH a, TH b, double value) { SR_TENSOR(at::addcdiv(*t, *a, *b, value)) }
SR_API int sr_lerp_(TH t, TH end, double weight) { SR_STATUS(t->lerp_(*end, weight)) }
// init: 0 uniform_(a,b) 1 normal_(mean=a,std=b)
SR_API int sr_random_(TH t, int kind, double a, double b) {
  SR_STATUS(({
    at::NoGradGuard ng;
    if (kind == 0) t->uniform_(a, b); else t->normal_(a, b);
  }))
}

// ---- pointwise with extra arguments ---------------------------------------------------------------
SR_API TH sr_clamp(TH x, double lo, double hi) {
  SR_TENSOR(at::clamp(*x, std::isnan(lo) ? c10::optional<c10::Scalar>() : c10::Scalar(lo),
                      std::isnan(hi) ? c10::optional<c10::Scalar>() : c10::Scalar(hi)))
}
SR_API TH sr_where(TH cond, TH a, TH b) { SR_TENSOR(at::where(*cond, *a, *b)) }
SR_API TH sr_masked_fill(TH x, TH mask, double v) { SR_TENSOR(x->masked_fill(*mask, v)) }
SR_API TH sr_softmax(TH x, int64_t dim, int log) { SR_TENSOR(log ? at::log_softmax(*x, dim) : at::softmax(*x, dim)) }
SR_API TH sr_nan_to_num(TH x, double nan, double posinf, double neginf) { SR_TENSOR(at::nan_to_num(*x, nan, posinf, neginf)) }

// ---- reductions ----------------------------------------------------------------------------------------
// 0 sum 1 mean 2 amax 3 amin 4 prod 5 std 6 var 7 norm2 8 logsumexp 9 any 10 all; n == 0: over all elements
SR_API TH sr_reduce(int op, TH x, const int64_t* dims, int n, int keepdim) {
  SR_TENSOR(([&]() -> at::Tensor {
    const bool all = n == 0;
    std::vector<int64_t> d(dims, dims + n);
    if (all) for (int64_t i = 0; i < x->dim(); i++) d.push_back(i);
    bool k = keepdim != 0;
    switch (op) {
      case 0: return all && !k ? x->sum() : x->sum(d, k);
      case 1: return all && !k ? x->mean() : x->mean(d, k);
      case 2: return all && !k ? x->max() : x->amax(d, k);
      case 3: return all && !k ? x->min() : x->amin(d, k);
      case 4: {
        at::Tensor r = *x;
        std::sort(d.begin(), d.end(), std::greater<int64_t>());
        for (auto i : d) r = r.prod(i, k);
        return r;
      }
      case 5: return x->std(at::OptionalIntArrayRef(d), true, k);
      case 6: return x->var(at::OptionalIntArrayRef(d), true, k);
      case 7: return at::linalg_vector_norm(*x, 2, at::OptionalIntArrayRef(d), k);
      case 8: return at::logsumexp(*x, d, k);
      case 9: return all && !k ? x->any() : [&] { at::Tensor r = *x; std::sort(d.begin(), d.end(), std::greater<int64_t>()); for (auto i : d) r = r.any(i, k); return r; }();
      case 10: return all && !k ? x->all() : [&] { at::Tensor r = *x; std::sort(d.begin(), d.end(), std::greater<int64_t>()); for (auto i : d) r = r.all(i, k); return r; }();
      default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
    }
  })())
}
// 0 argmax 1 argmin
SR_API TH sr_arg_reduce(int op, TH x, int64_t dim, int keepdim) {
  SR_TENSOR(op == 0 ? x->argmax(dim, keepdim != 0) : x->argmin(dim, keepdim != 0))
}
SR_API TH sr_cumsum(TH x, int64_t dim) { SR_TENSOR(x->cumsum(dim)) }
SR_API int sr_topk(TH x, int64_t k, int64_t dim, int largest, TH* values, TH* indices) {
  SR_STATUS(({
    auto r = x->topk(k, dim, largest != 0, true);
    *values = sr_wrap(std::get<0>(r));
    *indices = sr_wrap(std::get<1>(r));
  }))
}

// ---- linear algebra ------------------------------------------------------------------------------------
SR_API TH sr_matmul(TH a, TH b) { SR_TENSOR(at::matmul(*a, *b)) }
SR_API TH sr_mm(TH a, TH b) { SR_TENSOR(at::mm(*a, *b)) }
SR_API TH sr_bmm(TH a, TH b) { SR_TENSOR(at::bmm(*a, *b)) }
SR_API TH sr_linear(TH x, TH w, TH b) { SR_TENSOR(at::linear(*x, *w, opt(b))) }
SR_API TH sr_einsum(const char* eq, const TH* list, int n) { SR_TENSOR(at::einsum(eq, tensor_list(list, n))) }

// ---- indexing ------------------------------------------------------------------------------------------
SR_API TH sr_gather(TH x, int64_t dim, TH index) { SR_TENSOR(x->gather(dim, *index)) }
SR_API TH sr_scatter(TH x, int64_t dim, TH index, TH src) { SR_TENSOR(x->scatter(dim, *index, *src)) }
SR_API TH sr_scatter_add(TH x, int64_t dim, TH index, TH src) { SR_TENSOR(x->scatter_add(dim, *index, *src)) }
SR_API int sr_scatter_add_(TH x, int64_t dim, TH index, TH src) { SR_STATUS(x->scatter_add_(dim, *index, *src)) }
SR_API TH sr_index_add(TH x, int64_t dim, TH index, TH src, double alpha) { SR_TENSOR(x->index_add(dim, *index, *src, num(alpha))) }
SR_API TH sr_nonzero(TH x) { SR_TENSOR(x->nonzero()) }
SR_API TH sr_one_hot(TH x, int64_t classes) { SR_TENSOR(at::one_hot(*x, classes)) }

// ---- padding -------------------------------------------------------------------------------------------
// mode: 0 constant 1 reflect 2 replicate 3 circular. pads as in torch.nn.functional.pad (last dim first).
SR_API TH sr_pad(TH x, const int64_t* pads, int n, int mode, double value) {
  SR_TENSOR(([&] {
    static const char* modes[] = {"constant", "reflect", "replicate", "circular"};
    if (mode < 0 || mode > 3) throw std::invalid_argument("unknown pad mode");
    return at::pad(*x, ints(pads, n), modes[mode], mode == 0 ? c10::optional<double>(value) : c10::nullopt);
  })())
}
