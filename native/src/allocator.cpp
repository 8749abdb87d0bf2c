// A caching CPU allocator for libtorch's tensors (the CPU counterpart of the CUDA caching allocator).
//
// Why: c10's default CPU allocator hands every tensor to posix_memalign, and glibc serves large blocks (above its mmap
// threshold, 128 KiB rising to at most 32 MiB) with a fresh mmap that free() unmaps again. A training step allocates the
// same feature maps step after step, so each step faults all of them in anew and the kernel zeroes every page: an LSP
// ten-minute run on 2 cores spent 27 % of its CPU time in the kernel at about 196,000 minor page faults a second.
// (glibc's own knobs do not cure it here: with M_MMAP_MAX = 0 and M_TRIM_THRESHOLD = INT_MAX a 48 MiB block freed by a
// thread still went back to the kernel — per-thread heaps are unmapped — and the main heap kept growing.)
//
// What: blocks of at least kMinCached bytes are kept when their tensor dies and handed out again for a request of the
// same rounded size class (a block is reused for a request of at most its size and at least 4/5 of it). At most
// SR_CPU_CACHE_MB megabytes (default 2048) are kept; beyond that the largest free blocks are released. Smaller
// allocations go straight to c10's own alloc_cpu/free_cpu. SR_MALLOC=default leaves c10's allocator in place.
// Tensor memory is uninitialised either way (at::empty semantics); zeros() still writes its zeros.
//
// Blocks of at least kHugeMin bytes are aligned to 2 MiB and marked MADV_HUGEPAGE: with the kernel's transparent huge
// pages in "madvise" mode (Debian's default) a fresh 100 MiB feature map then faults in 50 huge pages instead of 25,600
// small ones (SR_HUGEPAGES=0 turns it off). The bytes handed out and their peak are counted, so a caller can measure the
// memory of a piece of work (sr_cpu_cache_reset_peak / sr_cpu_cache_peak), and the limit can be changed at run time
// (sr_cpu_cache_set_limit) — inference caps it to the work and empties the cache after a batch.
#include "common.h"
#include <sys/mman.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>

namespace {

constexpr size_t kMinCached = size_t(256) << 10;  // 256 KiB
constexpr size_t kRound = size_t(64) << 10;       // size classes of 64 KiB
constexpr size_t kHugeMin = size_t(4) << 20;      // 4 MiB: blocks this large get 2 MiB alignment and MADV_HUGEPAGE
constexpr size_t kHugeAlign = size_t(2) << 20;

bool HugePagesWanted() {
  const char* v = std::getenv("SR_HUGEPAGES");
  return v == nullptr || std::strcmp(v, "0") != 0;
}
const bool g_huge = HugePagesWanted();

void* AllocLarge(size_t size) {
  if (!g_huge || size < kHugeMin) return c10::alloc_cpu(size);
  void* p = nullptr;
  if (posix_memalign(&p, kHugeAlign, size) != 0 || p == nullptr) return c10::alloc_cpu(size);
  madvise(p, size, MADV_HUGEPAGE);  // advice only: without THP the block is used as is
  return p;
}

class CachingCpuAllocator final : public c10::Allocator {
 public:
  explicit CachingCpuAllocator(size_t limit) : limit_(limit) {}

  // The context is the data pointer itself (raw_allocate, used by some ATen kernels, requires it); the sizes of the large
  // blocks in use are kept on the side.
  c10::DataPtr allocate(size_t n) const override {
    if (n < kMinCached) {
      void* p = c10::alloc_cpu(n);
      return {p, p, &FreeSmall, c10::Device(c10::DeviceType::CPU)};  // no lock, no lookup
    }
    size_t size = (n + kRound - 1) / kRound * kRound;
    void* p = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.lower_bound(size);
      if (it != free_.end() && it->first / 5 * 4 <= size) {  // a hit: one lock for taking and recording the block
        p = it->second;
        size = it->first;
        cached_ -= size;
        free_.erase(it);
        ++hits_;
        in_use_[p] = size;
        Count(size);
        return {p, p, &Free, c10::Device(c10::DeviceType::CPU)};
      }
      ++misses_;
    }
    try {
      p = AllocLarge(size);
    } catch (const c10::Error&) {  // out of memory: give the held blocks back and try once more
      Empty();
      p = AllocLarge(size);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    in_use_[p] = size;
    Count(size);
    return {p, p, &Free, c10::Device(c10::DeviceType::CPU)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &Free; }  // for raw_allocate: looks the size up

  void Release(void* p) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = in_use_.find(p);
    if (it == in_use_.end()) {  // a small block
      c10::free_cpu(p);
      return;
    }
    size_t size = it->second;
    in_use_.erase(it);
    in_use_bytes_ -= size;
    free_.emplace(size, p);
    cached_ += size;
    Trim();
  }

  void SetLimit(size_t limit) {
    std::lock_guard<std::mutex> lock(mutex_);
    limit_ = limit;
    Trim();
  }

  void Peak(int64_t* in_use, int64_t* peak) {
    std::lock_guard<std::mutex> lock(mutex_);
    *in_use = static_cast<int64_t>(in_use_bytes_);
    *peak = static_cast<int64_t>(peak_);
  }

  void ResetPeak() {
    std::lock_guard<std::mutex> lock(mutex_);
    peak_ = in_use_bytes_;
  }

  void Empty() const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [size, p] : free_) c10::free_cpu(p);
    free_.clear();
    cached_ = 0;
  }

  void Stats(int64_t* cached, int64_t* hits, int64_t* misses) {
    std::lock_guard<std::mutex> lock(mutex_);
    *cached = static_cast<int64_t>(cached_);
    *hits = hits_;
    *misses = misses_;
  }

 private:
  static void FreeSmall(void* p) { c10::free_cpu(p); }
  static void Free(void* p);

  // With mutex_ held.
  void Count(size_t size) const {
    in_use_bytes_ += size;
    if (in_use_bytes_ > peak_) peak_ = in_use_bytes_;
  }

  // With mutex_ held: releases the largest free blocks until the cache is within its limit.
  void Trim() {
    while (cached_ > limit_ && !free_.empty()) {
      auto largest = std::prev(free_.end());
      cached_ -= largest->first;
      c10::free_cpu(largest->second);
      free_.erase(largest);
    }
  }

  size_t limit_;
  mutable std::mutex mutex_;
  mutable std::multimap<size_t, void*> free_;             // blocks held for reuse, by size
  mutable std::unordered_map<void*, size_t> in_use_;      // large blocks handed out, with their sizes
  mutable size_t cached_ = 0;
  mutable size_t in_use_bytes_ = 0, peak_ = 0;  // large blocks handed out now, and the most at once since ResetPeak
  mutable int64_t hits_ = 0, misses_ = 0;
};

size_t LimitFromEnvironment() {
  const char* mb = std::getenv("SR_CPU_CACHE_MB");
  long long v = mb != nullptr ? std::atoll(mb) : 2048;
  return v > 0 ? static_cast<size_t>(v) << 20 : 0;
}

// Never destroyed: tensors may die during static destruction, after this object would have been.
CachingCpuAllocator* const g_caching = new CachingCpuAllocator(LimitFromEnvironment());

void CachingCpuAllocator::Free(void* p) {
  if (p != nullptr) g_caching->Release(p);
}

struct Install {
  bool installed = false;
  Install() {
    const char* mode = std::getenv("SR_MALLOC");
    if (mode != nullptr && std::strcmp(mode, "default") == 0) return;
    c10::SetCPUAllocator(g_caching, /*priority=*/1);
    installed = c10::GetCPUAllocator() == g_caching;
  }
};
const Install g_install;

}  // namespace

// 1 when tensors come from the caching allocator (the default), 0 under SR_MALLOC=default.
SR_API int sr_cpu_cache_enabled() { return g_install.installed ? 1 : 0; }

// Bytes held for reuse, and how many large requests were served from them (hits) or from the system (misses).
SR_API void sr_cpu_cache_stats(int64_t* cached, int64_t* hits, int64_t* misses) { g_caching->Stats(cached, hits, misses); }

// Gives every block held for reuse back to the system (as torch.cuda.empty_cache does for the GPU).
SR_API void sr_cpu_empty_cache() { g_caching->Empty(); }

// Large-block bytes handed out now and the peak since the last reset (blocks under 256 KiB are not counted).
SR_API void sr_cpu_cache_peak(int64_t* in_use, int64_t* peak) { g_caching->Peak(in_use, peak); }

SR_API void sr_cpu_cache_reset_peak() { g_caching->ResetPeak(); }

// Sets how many bytes of free blocks are kept for reuse (releasing the excess now); negative restores SR_CPU_CACHE_MB.
SR_API void sr_cpu_cache_set_limit(int64_t bytes) { g_caching->SetLimit(bytes < 0 ? LimitFromEnvironment() : static_cast<size_t>(bytes)); }
