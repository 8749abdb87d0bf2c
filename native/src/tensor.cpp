// Tensor lifetime, creation, metadata, data transfer, views and autograd.
#include "common.h"
#include <cstring>

static at::TensorOptions options(int dtype, int dev_type, int dev_index, int requires_grad) {
  return at::TensorOptions().dtype(to_dtype(dtype)).device(to_device(dev_type, dev_index)).requires_grad(requires_grad != 0);
}

SR_API void sr_free(TH t) {
  if (!t) return;
  delete t;
  g_live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

// ---- creation ---------------------------------------------------------------------------------
// Copies `data` (contiguous, row-major, element type = dtype) into a new tensor.
SR_API TH sr_from_data(const void* data, const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index, int requires_grad) {
  SR_TENSOR(([&] {
    auto cpu = at::from_blob(const_cast<void*>(data), ints(shape, ndim), at::TensorOptions().dtype(to_dtype(dtype))).clone();
    auto t = dev_type == 0 ? cpu : cpu.to(to_device(dev_type, dev_index));
    if (requires_grad) t.requires_grad_(true);
    return t;
  })())
}
// kind: 0 empty, 1 zeros, 2 ones, 3 full(value), 4 rand, 5 randn
SR_API TH sr_factory(int kind, const int64_t* shape, int ndim, double value, int dtype, int dev_type, int dev_index, int requires_grad) {
  SR_TENSOR(([&]() -> at::Tensor {
    auto o = options(dtype, dev_type, dev_index, 0);
    at::Tensor t;
    switch (kind) {
      case 0: t = at::empty(ints(shape, ndim), o); break;
      case 1: t = at::zeros(ints(shape, ndim), o); break;
      case 2: t = at::ones(ints(shape, ndim), o); break;
      case 3: t = at::full(ints(shape, ndim), value, o); break;
      case 4: t = at::rand(ints(shape, ndim), o); break;
      case 5: t = at::randn(ints(shape, ndim), o); break;
      default: throw std::invalid_argument("unknown factory kind");
    }
    if (requires_grad) t.requires_grad_(true);
    return t;
  })())
}
SR_API TH sr_arange(double start, double end, double step, int dtype, int dev_type, int dev_index) {
  SR_TENSOR(at::arange(start, end, step, options(dtype, dev_type, dev_index, 0)))
}
SR_API TH sr_linspace(double start, double end, int64_t steps, int dtype, int dev_type, int dev_index) {
  SR_TENSOR(at::linspace(start, end, steps, options(dtype, dev_type, dev_index, 0)))
}
SR_API TH sr_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dev_type, int dev_index) {
  SR_TENSOR(at::randint(low, high, ints(shape, ndim), options(4, dev_type, dev_index, 0)))
}
SR_API TH sr_randperm(int64_t n) { SR_TENSOR(at::randperm(n)) }
SR_API TH sr_like(TH t, int kind, double value) {
  SR_TENSOR(([&]() -> at::Tensor {
    switch (kind) {
      case 0: return at::empty_like(*t);
      case 1: return at::zeros_like(*t);
      case 2: return at::ones_like(*t);
      case 3: return at::full_like(*t, value);
      case 4: return at::rand_like(*t);
      case 5: return at::randn_like(*t);
      default: throw std::invalid_argument("unknown factory kind");
    }
  })())
}

// ---- metadata -----------------------------------------------------------------------------------
SR_API int sr_ndim(TH t) { return static_cast<int>(t->dim()); }
SR_API int sr_shape(TH t, int64_t* out, int cap) {
  int n = static_cast<int>(t->dim());
  for (int i = 0; i < n && i < cap; i++) out[i] = t->size(i);
  return n;
}
SR_API int sr_strides(TH t, int64_t* out, int cap) {
  int n = static_cast<int>(t->dim());
  for (int i = 0; i < n && i < cap; i++) out[i] = t->stride(i);
  return n;
}
SR_API int sr_dtype(TH t) { return from_dtype(t->scalar_type()); }
SR_API int sr_device_type(TH t) { return t->device().is_cuda() ? 1 : 0; }
SR_API int sr_device_index(TH t) { return t->device().index(); }
SR_API int64_t sr_numel(TH t) { return t->numel(); }
SR_API int sr_is_contiguous(TH t, int channels_last) {
  return t->is_contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous) ? 1 : 0;
}
SR_API int sr_defined(TH t) { return t->defined() ? 1 : 0; }

// The address of the first element of a contiguous CPU tensor (null otherwise), for loops that read or write in place.
SR_API void* sr_data_ptr(TH t) {
  if (!t->defined() || t->device().type() != c10::DeviceType::CPU || !t->is_contiguous()) return nullptr;
  return t->data_ptr();
}

// ---- data transfer --------------------------------------------------------------------------------
// Copies the tensor's elements (row-major, converted to contiguous CPU memory) into dst.
SR_API int sr_copy_out(TH t, void* dst, int64_t nbytes) {
  SR_STATUS(({
    auto c = t->detach().to(c10::kCPU).contiguous();
    int64_t need = c.numel() * static_cast<int64_t>(c.element_size());
    if (need != nbytes) throw std::invalid_argument("destination holds " + std::to_string(nbytes) + " bytes, tensor needs " + std::to_string(need));
    std::memcpy(dst, c.data_ptr(), need);
  }))
}
// Overwrites the tensor's elements from src (row-major); works under no-grad on leaf tensors.
SR_API int sr_copy_in(TH t, const void* src, int64_t nbytes) {
  SR_STATUS(({
    int64_t need = t->numel() * static_cast<int64_t>(t->element_size());
    if (need != nbytes) throw std::invalid_argument("source holds " + std::to_string(nbytes) + " bytes, tensor needs " + std::to_string(need));
    auto src_t = at::from_blob(const_cast<void*>(src), t->sizes(), at::TensorOptions().dtype(t->scalar_type()));
    at::NoGradGuard ng;
    t->copy_(src_t);
  }))
}
SR_API double sr_item(TH t, int* status) {
  try { *status = 0; return t->item<double>(); } catch (const c10::Error& e) { sr_set_error(e.what_without_backtrace()); } catch (const std::exception& e) { sr_set_error(e.what()); }
  *status = -1;
  return 0;
}

// ---- conversions and views ------------------------------------------------------------------------
SR_API TH sr_to(TH t, int dtype, int dev_type, int dev_index, int copy) {
  SR_TENSOR(t->to(to_device(dev_type, dev_index), dtype < 0 ? t->scalar_type() : to_dtype(dtype), false, copy != 0))
}
SR_API TH sr_contiguous(TH t, int channels_last) {
  SR_TENSOR(t->contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous))
}
SR_API TH sr_clone(TH t) { SR_TENSOR(t->clone()) }
SR_API TH sr_alias(TH t) { SR_TENSOR(at::Tensor(*t)) }
SR_API TH sr_reshape(TH t, const int64_t* shape, int n) { SR_TENSOR(t->reshape(ints(shape, n))) }
SR_API TH sr_view(TH t, const int64_t* shape, int n) { SR_TENSOR(t->view(ints(shape, n))) }
SR_API TH sr_permute(TH t, const int64_t* dims, int n) { SR_TENSOR(t->permute(ints(dims, n))) }
SR_API TH sr_transpose(TH t, int64_t a, int64_t b) { SR_TENSOR(t->transpose(a, b)) }
SR_API TH sr_squeeze(TH t, int64_t dim, int all) { SR_TENSOR(all ? t->squeeze() : t->squeeze(dim)) }
SR_API TH sr_unsqueeze(TH t, int64_t dim) { SR_TENSOR(t->unsqueeze(dim)) }
SR_API TH sr_flatten(TH t, int64_t start, int64_t end) { SR_TENSOR(t->flatten(start, end)) }
SR_API TH sr_expand(TH t, const int64_t* shape, int n) { SR_TENSOR(t->expand(ints(shape, n))) }
SR_API TH sr_slice(TH t, int64_t dim, int64_t start, int64_t end, int64_t step) { SR_TENSOR(t->slice(dim, start, end, step)) }
SR_API TH sr_select(TH t, int64_t dim, int64_t index) { SR_TENSOR(t->select(dim, index)) }
SR_API TH sr_index_select(TH t, int64_t dim, TH index) { SR_TENSOR(t->index_select(dim, *index)) }
SR_API TH sr_masked_select(TH t, TH mask) { SR_TENSOR(t->masked_select(*mask)) }
SR_API TH sr_flip(TH t, const int64_t* dims, int n) { SR_TENSOR(t->flip(ints(dims, n))) }
SR_API TH sr_roll(TH t, const int64_t* shifts, const int64_t* dims, int n) { SR_TENSOR(t->roll(ints(shifts, n), ints(dims, n))) }
SR_API TH sr_rot90(TH t, int64_t k, int64_t d0, int64_t d1) { SR_TENSOR(t->rot90(k, {d0, d1})) }
SR_API TH sr_cat(const TH* list, int n, int64_t dim) { SR_TENSOR(at::cat(tensor_list(list, n), dim)) }
SR_API TH sr_stack(const TH* list, int n, int64_t dim) { SR_TENSOR(at::stack(tensor_list(list, n), dim)) }
SR_API TH sr_repeat(TH t, const int64_t* reps, int n) { SR_TENSOR(t->repeat(ints(reps, n))) }
// split into `chunks` pieces along dim; writes up to cap handles, returns count.
SR_API int sr_chunk(TH t, int64_t chunks, int64_t dim, TH* out, int cap) {
  try {
    auto parts = t->chunk(chunks, dim);
    int n = static_cast<int>(parts.size());
    if (n > cap) throw std::invalid_argument("too many chunks");
    for (int i = 0; i < n; i++) out[i] = sr_wrap(parts[i]);
    return n;
  } SR_CATCH(-1)
}

// ---- autograd ---------------------------------------------------------------------------------------
SR_API int sr_requires_grad(TH t) { return t->requires_grad() ? 1 : 0; }
SR_API int sr_set_requires_grad(TH t, int on) { SR_STATUS(t->requires_grad_(on != 0)) }
SR_API int sr_is_leaf(TH t) { return t->is_leaf() ? 1 : 0; }
SR_API TH sr_grad(TH t) {
  try {
    auto g = t->grad();
    if (!g.defined()) return nullptr;
    return sr_wrap(g);
  } SR_CATCH(nullptr)
}
SR_API int sr_set_grad(TH t, TH g) { SR_STATUS(t->mutable_grad() = g ? *g : at::Tensor()) }
SR_API TH sr_detach(TH t) { SR_TENSOR(t->detach()) }
SR_API int sr_backward(TH t, TH grad, int retain_graph) {
  SR_STATUS(t->backward(grad ? *grad : at::Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt, false))
}
// torch.autograd.grad(outputs=[t], inputs=list, grad_outputs=[grad]) -> out (nullptr where unused)
SR_API int sr_autograd_grad(TH t, TH grad, const TH* inputs, int n, int create_graph, TH* out) {
  SR_STATUS(({
    auto res = torch::autograd::grad({*t}, tensor_list(inputs, n), {grad ? *grad : at::Tensor()}, c10::nullopt, create_graph != 0, true);
    for (int i = 0; i < n; i++) out[i] = res[i].defined() ? sr_wrap(res[i]) : nullptr;
  }))
}
