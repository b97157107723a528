#include "gpu/cuda/common/runtime.h"

namespace dc::gpu {
namespace {
std::string status(cudaError_t e) {
  if (e == cudaSuccess) return {};
  cudaGetLastError();  // clear the sticky non-fatal error so later calls see their own
  return std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
}
}  // namespace

std::string device_count(int* count) {
  *count = 0;
  return status(cudaGetDeviceCount(count));
}
std::string set_device(int device) { return status(cudaSetDevice(device)); }
std::string device_malloc(void** ptr, size_t bytes) {
  // cudaMalloc counts as "potentially unsafe" during a thread-local or global
  // capture (it may synchronize) and would invalidate the capture; relaxed mode
  // lets the caching allocator grow while a graph is captured.
  cudaStreamCaptureMode mode = cudaStreamCaptureModeRelaxed;
  cudaThreadExchangeStreamCaptureMode(&mode);
  const cudaError_t e = cudaMalloc(ptr, bytes);
  cudaThreadExchangeStreamCaptureMode(&mode);
  return status(e);
}
bool stream_is_capturing(cudaStream_t stream) {
  cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
  return cudaStreamIsCapturing(stream, &capture) == cudaSuccess && capture != cudaStreamCaptureStatusNone;
}
std::string device_free(void* ptr) { return status(cudaFree(ptr)); }
std::string mem_get_info(size_t* free_bytes, size_t* total_bytes) {
  return status(cudaMemGetInfo(free_bytes, total_bytes));
}
std::string memcpy_async(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream) {
  return status(cudaMemcpyAsync(dst, src, bytes, kind, stream));
}
std::string stream_synchronize(cudaStream_t stream) { return status(cudaStreamSynchronize(stream)); }
std::string device_synchronize() { return status(cudaDeviceSynchronize()); }

std::string device_arch(int device, int* arch, int* sm_count) {
  int major = 0, minor = 0;
  std::string s = status(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
  if (!s.empty()) return s;
  s = status(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
  if (!s.empty()) return s;
  *arch = major * 10 + minor;
  return status(cudaDeviceGetAttribute(sm_count, cudaDevAttrMultiProcessorCount, device));
}

std::string device_name(int device, std::string* name) {
  cudaDeviceProp prop{};
  std::string s = status(cudaGetDeviceProperties(&prop, device));
  if (s.empty()) *name = prop.name;
  return s;
}

Stream::Stream() { cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking); }
Stream::~Stream() {
  if (s_) cudaStreamDestroy(s_);
}
Stream& Stream::operator=(Stream&& o) noexcept {
  if (this != &o) {
    if (s_) cudaStreamDestroy(s_);
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Event::Event() { cudaEventCreate(&e_); }
Event::~Event() {
  if (e_) cudaEventDestroy(e_);
}
void Event::record(cudaStream_t stream) { cudaEventRecord(e_, stream); }
void Event::synchronize() { cudaEventSynchronize(e_); }
float Event::elapsed_ms_since(const Event& start) const {
  float ms = 0;
  cudaEventElapsedTime(&ms, start.e_, e_);
  return ms;
}

}  // namespace dc::gpu
