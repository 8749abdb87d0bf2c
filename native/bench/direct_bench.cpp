// The reference for `sr bench native` (samples/Sr.Bench/NativeBench.cs): the same work as the .NET benchmark,
// calling libtorch directly. Prints one JSON line: per-call time of a tiny op and time of a 64->64 3x3 conv, each
// as the mean over all iterations and as the best chunk (tiny op: chunks of 1000 calls; conv: single calls) — on a
// shared machine the best chunk is the figure least disturbed by other processes.
#include <torch/torch.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using clk = std::chrono::steady_clock;

static double us_since(clk::time_point t0) { return std::chrono::duration<double, std::micro>(clk::now() - t0).count(); }

int main(int argc, char** argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  int tiny_iters = argc > 2 ? std::atoi(argv[2]) : 200000;
  int conv_iters = argc > 3 ? std::atoi(argv[3]) : 50;
  const int chunk = 1000;
  at::set_num_threads(threads);
  torch::NoGradGuard ng;

  auto a = torch::ones({1});
  for (int i = 0; i < 1000; i++) { auto* h = new at::Tensor(a.add(a, 1.0)); delete h; }
  double tiny_total = 0, tiny_best = 1e300;
  for (int done = 0; done < tiny_iters; done += chunk) {
    auto t0 = clk::now();
    for (int i = 0; i < chunk; i++) {
      // same shape of work as the binding: a heap handle per result, freed again
      auto* h = new at::Tensor(at::add(a, a, 1.0));
      delete h;
    }
    double us = us_since(t0);
    tiny_total += us;
    tiny_best = std::min(tiny_best, us / chunk);
  }
  int tiny_done = (tiny_iters + chunk - 1) / chunk * chunk;

  auto x = torch::randn({1, 64, 128, 128}).contiguous(at::MemoryFormat::ChannelsLast);
  auto w = torch::randn({64, 64, 3, 3}).contiguous(at::MemoryFormat::ChannelsLast);
  auto b = torch::randn({64});
  for (int i = 0; i < 5; i++) at::conv2d(x, w, b, 1, 1);
  double conv_total = 0, conv_best = 1e300;
  for (int i = 0; i < conv_iters; i++) {
    auto t0 = clk::now();
    { auto y = at::conv2d(x, w, b, 1, 1); }  // the result is freed inside the timing, as .NET disposes it
    double us = us_since(t0);
    conv_total += us;
    conv_best = std::min(conv_best, us);
  }
  double conv_ms = conv_total / conv_iters / 1e3;
  double gflops = 2.0 * 64 * 64 * 9 * 128 * 128 / (conv_ms / 1e3) / 1e9;
  std::printf("{\"threads\":%d,\"tiny_op_us\":%.4f,\"tiny_op_best_us\":%.4f,\"conv_ms\":%.4f,\"conv_best_ms\":%.4f,\"conv_gflops\":%.2f}\n",
              threads, tiny_total / tiny_done, tiny_best, conv_ms, conv_best / 1e3, gflops);
  return 0;
}
