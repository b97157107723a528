// CUDA state the tensor runtime owns: availability, the current stream of this
// thread, and the caching allocator's statistics. All functions exist in every
// build; without CUDA, `cuda_available()` is false and the rest report that.
//
//   if (dc::cuda_available()) { dc::CudaStreamGuard g(my_stream); ...ops... }
#pragma once

#include <cstddef>
#include <string>

#include "core/base/result.h"

namespace dc {

bool cuda_compiled();    // built with DC_CUDA
bool cuda_available();   // compiled and a device is present
Status require_cuda();   // Error::not_supported with the reason when unavailable

// The stream ops of this thread launch on: a non-blocking stream per thread,
// created on first use, unless a guard installed another.
void* current_cuda_stream();  // a cudaStream_t
class CudaStreamGuard {
 public:
  explicit CudaStreamGuard(void* stream);
  ~CudaStreamGuard();
  CudaStreamGuard(const CudaStreamGuard&) = delete;
  CudaStreamGuard& operator=(const CudaStreamGuard&) = delete;

 private:
  void* previous_;
};
Status cuda_synchronize();  // waits for this thread's current stream

struct CudaMemoryStats {
  size_t allocated_bytes = 0;       // live tensors
  size_t reserved_bytes = 0;        // allocated + cached free blocks
  size_t peak_allocated_bytes = 0;  // since the last reset
  size_t peak_reserved_bytes = 0;
};
CudaMemoryStats cuda_memory_stats();
void cuda_reset_peak_memory();
void cuda_empty_cache();  // returns cached free blocks to the driver

// The driver's view of device memory (cudaMemGetInfo); zeros without a device.
// Free memory excludes what our caching allocator holds in reserve.
struct CudaDeviceMemory {
  size_t free_bytes = 0;
  size_t total_bytes = 0;
};
CudaDeviceMemory cuda_device_memory();

// Device info for logs and the status bar.
std::string cuda_device_description();

}  // namespace dc
