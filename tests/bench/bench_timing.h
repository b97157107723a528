// Timing helpers shared by the device benchmarks: CUDA events on the job
// stream (host clock on the CPU), medians over iterations after warm-up.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

#include "core/tensor/cuda_context.h"
#include "core/tensor/device.h"
#ifdef DC_HAVE_CUDA
#include "gpu/cuda/common/runtime.h"
#endif

namespace dc::bench {

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// Times `fn` once in milliseconds.
template <class Fn>
double time_once_ms(Device device, Fn&& fn) {
#ifdef DC_HAVE_CUDA
  if (device.is_cuda()) {
    auto stream = static_cast<cudaStream_t>(current_cuda_stream());
    gpu::Event start, stop;
    start.record(stream);
    fn();
    stop.record(stream);
    stop.synchronize();
    return stop.elapsed_ms_since(start);
  }
#endif
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace dc::bench
