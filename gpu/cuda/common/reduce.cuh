// Warp and block reductions (f32 sums) for row-wise kernels.
#pragma once

#include <cuda_runtime.h>

namespace dc::gpu {

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// Sum over the block, returned to every thread. `scratch` holds 32 floats in
// shared memory; blockDim.x is a multiple of 32. Contains __syncthreads, so all
// threads of the block must call it, and it may be called repeatedly.
__device__ __forceinline__ float block_sum(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_sum(v);
  __syncthreads();  // scratch may still be read by a previous call
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  float t = lane < warps ? scratch[lane] : 0.0f;
  return warp_sum(t);
}

}  // namespace dc::gpu
