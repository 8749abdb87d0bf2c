#include "common.h"
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <torch/version.h>

namespace {
// Debian's libtorch does its matrix products in the system BLAS (OpenBLAS through libblas.so.3), whose own thread pool
// then competes with libtorch's OpenMP threads for the same cores: on 2 cores a MATLAB-exact ×4 down+up of a 2040×1356
// image took 253–278 ms with OpenBLAS's default threads and 43 ms with one (`sr bench imaging`, 2026-12-01). So, when
// the library loads, OpenBLAS gets one thread unless the user chose a number with OPENBLAS_NUM_THREADS. Other BLAS
// libraries lack the symbol and are left alone. (OpenBLAS is loaded and initialised before us: it is a dependency.)
struct OpenBlasThreads {
  OpenBlasThreads() {
    if (std::getenv("OPENBLAS_NUM_THREADS") != nullptr) return;
    for (const char* name : {"libopenblas.so.0", "libblas.so.3"}) {
      void* lib = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
      if (lib == nullptr) continue;
      using SetThreads = void (*)(int);
      auto set = reinterpret_cast<SetThreads>(dlsym(lib, "openblas_set_num_threads"));
      dlclose(lib);  // RTLD_NOLOAD took a reference to the loaded library; this returns it
      if (set != nullptr) {
        set(1);
        return;
      }
    }
  }
};
const OpenBlasThreads g_openblas_threads;
}  // namespace

static thread_local std::string t_last_error;
static thread_local bool t_has_error = false;
std::atomic<int64_t> g_live_tensors{0};

void sr_set_error(const std::string& message) {
  t_last_error = message;
  t_has_error = true;
}

TH sr_wrap(at::Tensor t) {
  auto* h = new at::Tensor(std::move(t));
  g_live_tensors.fetch_add(1, std::memory_order_relaxed);
  return h;
}

// dtype codes are c10's ScalarType values (as TorchSharp serialises them).
at::ScalarType to_dtype(int code) {
  switch (code) {
    case 0: return at::kByte;
    case 1: return at::kChar;
    case 2: return at::kShort;
    case 3: return at::kInt;
    case 4: return at::kLong;
    case 5: return at::kHalf;
    case 6: return at::kFloat;
    case 7: return at::kDouble;
    case 11: return at::kBool;
    case 15: return at::kBFloat16;
    default: throw std::invalid_argument("unsupported dtype code " + std::to_string(code));
  }
}

int from_dtype(at::ScalarType t) { return static_cast<int>(t); }

c10::Device to_device(int type, int index) {
  if (type == 0) return c10::Device(c10::kCPU);
  if (type == 1) {
    if (!torch::cuda::is_available())
      throw std::runtime_error("CUDA is not available: this shim was built against a CPU-only libtorch or no GPU is present");
    return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index < 0 ? 0 : index));
  }
  throw std::invalid_argument("unsupported device type " + std::to_string(type));
}

std::vector<at::Tensor> tensor_list(const TH* list, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(*list[i]);
  return v;
}

// ---- error channel -------------------------------------------------------------------------
// Returns the pending error message (copied into buf) and clears it; returns the full length, 0 if none.
SR_API int sr_take_error(char* buf, int cap) {
  if (!t_has_error) return 0;
  int len = static_cast<int>(t_last_error.size());
  if (buf && cap > 0) {
    int n = len < cap - 1 ? len : cap - 1;
    std::memcpy(buf, t_last_error.data(), n);
    buf[n] = 0;
  }
  t_has_error = false;
  return len;
}

// ---- process-wide settings -------------------------------------------------------------------
SR_API int sr_version(char* buf, int cap) {
  std::string v = TORCH_VERSION;
  std::snprintf(buf, cap, "%s", v.c_str());
  return static_cast<int>(v.size());
}
SR_API int64_t sr_live_tensors() { return g_live_tensors.load(); }
SR_API int sr_set_num_threads(int n) { SR_STATUS(at::set_num_threads(n)) }
SR_API int sr_get_num_threads() { return at::get_num_threads(); }

// OpenBLAS's thread count, or -1 when the BLAS in the process is not OpenBLAS.
SR_API int sr_blas_num_threads() {
  for (const char* name : {"libopenblas.so.0", "libblas.so.3"}) {
    void* lib = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
    if (lib == nullptr) continue;
    using GetThreads = int (*)();
    auto get = reinterpret_cast<GetThreads>(dlsym(lib, "openblas_get_num_threads"));
    dlclose(lib);
    if (get != nullptr) return get();
  }
  return -1;
}
SR_API int sr_manual_seed(uint64_t seed) { SR_STATUS(torch::manual_seed(seed)) }
SR_API int sr_set_deterministic(int on) { SR_STATUS(at::globalContext().setDeterministicAlgorithms(on != 0, false)) }
SR_API int sr_cuda_available() { try { return torch::cuda::is_available() ? 1 : 0; } SR_CATCH(0) }
SR_API int sr_cuda_device_count() { try { return static_cast<int>(torch::cuda::device_count()); } SR_CATCH(0) }
SR_API int sr_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
SR_API void sr_set_grad_enabled(int on) { at::GradMode::set_enabled(on != 0); }
// InferenceMode is an RAII guard; .NET holds it as an opaque pointer and frees it on Dispose (same thread).
SR_API void* sr_inference_mode_enter(int on) {
  try { return new c10::InferenceMode(on != 0); } SR_CATCH(nullptr)
}
SR_API void sr_inference_mode_exit(void* guard) { delete static_cast<c10::InferenceMode*>(guard); }
SR_API int sr_parallel_info(char* buf, int cap) {
  std::string s = at::get_parallel_info();
  std::snprintf(buf, cap, "%s", s.c_str());
  return static_cast<int>(s.size());
}
