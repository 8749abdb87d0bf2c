// The reference for `sr bench native`: the same work as the .NET benchmark, calling libtorch directly.
// Prints one JSON line: per-call time of a tiny op and throughput of a 64->64 3x3 conv.
#include <torch/torch.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using clk = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  int tiny_iters = argc > 2 ? std::atoi(argv[2]) : 200000;
  int conv_iters = argc > 3 ? std::atoi(argv[3]) : 50;
  at::set_num_threads(threads);
  torch::NoGradGuard ng;

  auto a = torch::ones({1});
  for (int i = 0; i < 1000; i++) { auto* h = new at::Tensor(a.add(a, 1.0)); delete h; }
  auto t0 = clk::now();
  for (int i = 0; i < tiny_iters; i++) {
    // same shape of work as the binding: a heap handle per result, freed again
    auto* h = new at::Tensor(at::add(a, a, 1.0));
    delete h;
  }
  double tiny_us = std::chrono::duration<double, std::micro>(clk::now() - t0).count() / tiny_iters;

  auto x = torch::randn({1, 64, 128, 128}).contiguous(at::MemoryFormat::ChannelsLast);
  auto w = torch::randn({64, 64, 3, 3}).contiguous(at::MemoryFormat::ChannelsLast);
  auto b = torch::randn({64});
  for (int i = 0; i < 5; i++) at::conv2d(x, w, b, 1, 1);
  t0 = clk::now();
  for (int i = 0; i < conv_iters; i++) { auto y = at::conv2d(x, w, b, 1, 1); }
  double conv_s = std::chrono::duration<double>(clk::now() - t0).count() / conv_iters;
  double gflops = 2.0 * 64 * 64 * 9 * 128 * 128 / conv_s / 1e9;
  std::printf("{\"threads\":%d,\"tiny_op_us\":%.4f,\"conv_ms\":%.4f,\"conv_gflops\":%.2f}\n", threads, tiny_us, conv_s * 1e3, gflops);
  return 0;
}
