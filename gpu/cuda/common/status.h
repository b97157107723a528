// Error text helpers for launch functions, which return "" on success or a
// message naming the failing call (the gpu/cuda convention; no exceptions).
//
//   DC_GPU_TRY(gpu::cuda_status(cudaMemsetAsync(p, 0, n, s), "memset"));
#pragma once

#include <cuda_runtime_api.h>

#include <string>

namespace dc::gpu {

// "" for cudaSuccess, else "<what>: <name>: <text>". Clears the (non-sticky)
// last error so the next check sees its own.
inline std::string cuda_status(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return {};
  cudaGetLastError();
  return std::string(what) + ": " + cudaGetErrorName(e) + ": " + cudaGetErrorString(e);
}

// The status of the kernel launch just issued (configuration errors show up here).
inline std::string launch_status(const char* kernel) { return cuda_status(cudaGetLastError(), kernel); }

}  // namespace dc::gpu

// Returns the error string of `expr` from the enclosing function when non-empty.
#define DC_GPU_TRY(expr)                       \
  do {                                         \
    std::string dc_gpu_err_ = (expr);          \
    if (!dc_gpu_err_.empty()) return dc_gpu_err_; \
  } while (0)
