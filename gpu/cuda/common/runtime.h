// Thin, exception-free wrappers over the CUDA runtime for code outside gpu/cuda
// (core/tensor's allocator, transfers, streams). Each returns an empty string on
// success or the CUDA error text, so callers turn it into their own error type.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <string>

namespace dc::gpu {

std::string device_count(int* count);  // "" on success
std::string set_device(int device);
// Allowed while this thread captures a CUDA graph: the call runs in relaxed capture
// mode (the allocation is not part of the graph; the graph may use the memory).
std::string device_malloc(void** ptr, size_t bytes);
std::string device_free(void* ptr);
std::string mem_get_info(size_t* free_bytes, size_t* total_bytes);
std::string memcpy_async(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream);
std::string stream_synchronize(cudaStream_t stream);
std::string device_synchronize();
// Whether work issued to `stream` is being captured into a CUDA graph.
bool stream_is_capturing(cudaStream_t stream);
// Compute capability as major*10+minor (90 for H100), multiprocessor count.
std::string device_arch(int device, int* arch, int* sm_count);
std::string device_name(int device, std::string* name);

// Move-only RAII stream (non-blocking, so it can be captured into graphs).
class Stream {
 public:
  Stream();
  ~Stream();
  Stream(Stream&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stream& operator=(Stream&& o) noexcept;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return s_; }

 private:
  cudaStream_t s_ = nullptr;
};

// Move-only RAII event for timing and cross-stream ordering.
class Event {
 public:
  Event();
  ~Event();
  Event(Event&& o) noexcept : e_(o.e_) { o.e_ = nullptr; }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  void record(cudaStream_t stream);
  void synchronize();
  float elapsed_ms_since(const Event& start) const;
  cudaEvent_t get() const { return e_; }

 private:
  cudaEvent_t e_ = nullptr;
};

}  // namespace dc::gpu
