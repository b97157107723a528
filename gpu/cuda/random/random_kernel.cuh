// Device code of random_fill: one thread per Philox group of 4 elements.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/random/philox.h"

namespace dc::gpu::random_kernel {

template <class T>
__global__ void philox_fill_kernel(T* __restrict__ out, int64_t count, uint64_t seed, bool normal) {
  const int64_t groups = (count + 3) / 4;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t g = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; g < groups; g += step) {
    float v[4];
    philox::draw4(seed, static_cast<uint64_t>(g), normal, v);
    const int64_t base = g * 4;
#pragma unroll
    for (int j = 0; j < 4; ++j)
      if (base + j < count) out[base + j] = from_f32<T>(v[j]);
  }
}

}  // namespace dc::gpu::random_kernel
