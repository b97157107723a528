// Launch helpers shared by kernel families. Device code only includes this.
#pragma once

#include <cuda_runtime.h>

#include <string>

namespace dc::gpu {

// Returns "" or the text of the last launch error (call after each launch).
inline std::string last_launch_error(const char* kernel) {
  cudaError_t e = cudaGetLastError();
  if (e == cudaSuccess) return {};
  return std::string(kernel) + ": " + cudaGetErrorString(e);
}

inline unsigned ceil_div(long long a, long long b) { return static_cast<unsigned>((a + b - 1) / b); }

}  // namespace dc::gpu
