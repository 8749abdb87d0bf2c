// The shared conventions of the C ABI: tensor handles, error capture, array marshalling.
// Every exported function catches every exception (SR_TRY); nothing unwinds into .NET.
#pragma once
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/generated/variable_factories.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#define SR_API extern "C" __attribute__((visibility("default")))

using TH = at::Tensor*;

void sr_set_error(const std::string& message);
TH sr_wrap(at::Tensor t);
extern std::atomic<int64_t> g_live_tensors;

inline at::IntArrayRef ints(const int64_t* p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }
at::ScalarType to_dtype(int code);
int from_dtype(at::ScalarType t);
c10::Device to_device(int type, int index);
std::vector<at::Tensor> tensor_list(const TH* list, int n);
inline c10::optional<at::Tensor> opt(TH t) { return t ? c10::optional<at::Tensor>(*t) : c10::nullopt; }

#define SR_CATCH(fail)                                                              \
  catch (const c10::Error& e) { sr_set_error(e.what_without_backtrace()); return fail; } \
  catch (const std::exception& e) { sr_set_error(e.what()); return fail; }          \
  catch (...) { sr_set_error("unknown native exception"); return fail; }

// Returns a new tensor handle, or nullptr with the error recorded.
#define SR_TENSOR(expr) try { return sr_wrap(expr); } SR_CATCH(nullptr)
// Returns 0 on success, -1 with the error recorded.
#define SR_STATUS(body) try { (void)(body); return 0; } SR_CATCH(-1)
