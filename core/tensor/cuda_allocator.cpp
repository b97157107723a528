#include "core/tensor/cuda_allocator.h"

#include <map>
#include <unordered_map>
#include <mutex>
#include <string>

#ifdef DC_HAVE_CUDA
#include "core/tensor/cuda_context.h"
#include "gpu/cuda/common/runtime.h"
#endif

namespace dc {
namespace {

struct Pool {
  std::mutex mu;
  std::multimap<size_t, void*> free_blocks;     // block size -> block
  std::unordered_map<void*, size_t> live_blocks;  // block -> its true size
  CudaMemoryStats stats;
};

Pool& pool() {
  static Pool* p = new Pool;  // leaked on purpose: outlives static tensors at exit
  return *p;
}

}  // namespace

namespace detail {

#ifdef DC_HAVE_CUDA

namespace {
constexpr size_t kSmallLimit = 1 << 20;   // requests up to 1 MiB round to 512 B
constexpr size_t kSmallRound = 512;
constexpr size_t kLargeRound = 2 << 20;   // larger requests round to 2 MiB

size_t round_size(size_t bytes) {
  const size_t r = bytes <= kSmallLimit ? kSmallRound : kLargeRound;
  return (bytes + r - 1) / r * r;
}

std::string human_bytes(size_t b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(b) / (1ull << 30));
  return buf;
}

}  // namespace

static std::string free_cached_locked(Pool& p) {
  std::string err;
  for (auto& [size, ptr] : p.free_blocks) {
    std::string e = gpu::device_free(ptr);
    if (err.empty()) err = e;
    p.stats.reserved_bytes -= size;
  }
  p.free_blocks.clear();
  return err;
}

Result<void*> cuda_allocate(size_t bytes, int device) {
  DC_TRY_STATUS(require_cuda());
  Pool& p = pool();
  const size_t size = round_size(bytes);
  std::lock_guard lock(p.mu);
  // Best fit among cached blocks no more than 2x too large (bounded waste).
  auto it = p.free_blocks.lower_bound(size);
  void* ptr = nullptr;
  size_t got = size;
  if (it != p.free_blocks.end() && it->first <= size * 2) {
    ptr = it->second;
    got = it->first;
    p.free_blocks.erase(it);
  } else {
    gpu::set_device(device);
    std::string e = gpu::device_malloc(&ptr, size);
    // Retry once after returning the cache to the driver, except while a CUDA
    // graph is being captured: the cached blocks may already be in that graph.
    const bool capturing = gpu::stream_is_capturing(static_cast<cudaStream_t>(current_cuda_stream()));
    if (!e.empty() && !capturing) {
      free_cached_locked(p);
      e = gpu::device_malloc(&ptr, size);
    }
    if (!e.empty()) {
      size_t free_b = 0, total_b = 0;
      gpu::mem_get_info(&free_b, &total_b);
      return Error::out_of_memory("CUDA out of memory allocating " + human_bytes(size) + " (" +
                                  human_bytes(free_b) + " free of " + human_bytes(total_b) +
                                  ", this process holds " + human_bytes(p.stats.allocated_bytes) + ")" +
                                  (capturing ? " while capturing a CUDA graph: " + e : ""));
    }
    p.stats.reserved_bytes += size;
  }
  p.live_blocks.emplace(ptr, got);
  p.stats.allocated_bytes += got;
  p.stats.peak_allocated_bytes = std::max(p.stats.peak_allocated_bytes, p.stats.allocated_bytes);
  p.stats.peak_reserved_bytes = std::max(p.stats.peak_reserved_bytes, p.stats.reserved_bytes);
  return ptr;
}

void cuda_release(void* ptr, size_t /*bytes*/, int /*device*/) {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  auto it = p.live_blocks.find(ptr);
  if (it == p.live_blocks.end()) return;  // not ours: nothing to do
  const size_t size = it->second;
  p.live_blocks.erase(it);
  p.stats.allocated_bytes -= size;
  p.free_blocks.emplace(size, ptr);
}

#else

Result<void*> cuda_allocate(size_t, int) {
  return Error::not_supported("this build of DC Studio has no CUDA support (configure with -DDC_CUDA=ON)");
}
void cuda_release(void*, size_t, int) {}

#endif

}  // namespace detail

CudaMemoryStats cuda_memory_stats() {
  std::lock_guard lock(pool().mu);
  return pool().stats;
}

void cuda_reset_peak_memory() {
  std::lock_guard lock(pool().mu);
  pool().stats.peak_allocated_bytes = pool().stats.allocated_bytes;
  pool().stats.peak_reserved_bytes = pool().stats.reserved_bytes;
}

void cuda_empty_cache() {
#ifdef DC_HAVE_CUDA
  std::lock_guard lock(pool().mu);
  detail::free_cached_locked(pool());
#endif
}

}  // namespace dc
