// The same reference loops as direct_bench.cpp, as a library that `sr bench native` loads into its own process
// (NativeLibrary), so that C++ and .NET calls can alternate every few milliseconds: on a shared, loaded machine
// both then see the same load, and their paired ratio is meaningful where separate runs are not.
// It shares the process's libtorch (one thread pool, one allocator) with the binding.
#include <torch/torch.h>
#include <chrono>

#define SRB_API extern "C" __attribute__((visibility("default")))

using clk = std::chrono::steady_clock;

// Mean µs per call of `a + a` on a 1-element tensor, result held through a heap handle and freed (as the binding does).
SRB_API double srbench_tiny_us(int iters) {
  torch::NoGradGuard ng;
  static const at::Tensor a = torch::ones({1});
  auto t0 = clk::now();
  for (int i = 0; i < iters; i++) {
    auto* h = new at::Tensor(at::add(a, a, 1.0));
    delete h;
  }
  return std::chrono::duration<double, std::micro>(clk::now() - t0).count() / iters;
}

// Mean ms per call of a 64->64 3x3 conv (padding 1) on 1x64x128x128, channels-last input and weight.
SRB_API double srbench_conv_ms(int iters) {
  torch::NoGradGuard ng;
  static const at::Tensor x = torch::randn({1, 64, 128, 128}).contiguous(at::MemoryFormat::ChannelsLast);
  static const at::Tensor w = torch::randn({64, 64, 3, 3}).contiguous(at::MemoryFormat::ChannelsLast);
  static const at::Tensor b = torch::randn({64});
  auto t0 = clk::now();
  for (int i = 0; i < iters; i++) { auto y = at::conv2d(x, w, b, 1, 1); }
  return std::chrono::duration<double, std::milli>(clk::now() - t0).count() / iters;
}
