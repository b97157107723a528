// Device code of copy_strided: element conversion and strided addressing.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu::copy_kernel {

// Same type: the bits move unchanged (raw words for non-float types); float
// types otherwise convert through f32 (exact widening, RNE narrowing).
template <class D, class S>
__device__ __forceinline__ D convert(S v) {
  if constexpr (std::is_same_v<D, S>) {
    return v;
  } else {
    return from_f32<D>(to_f32(v));
  }
}

// Dims innermost first.
struct CopyDims {
  int ndim;
  int64_t shape[kMaxDims];
  int64_t dst_strides[kMaxDims];
  int64_t src_strides[kMaxDims];
};

template <class D, class S>
__global__ void copy_flat_kernel(D* __restrict__ dst, const S* __restrict__ src, int64_t count) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += step)
    dst[i] = convert<D>(src[i]);
}

// Index is uint32_t when every extent and offset fits (faster div/mod), else int64_t.
template <class D, class S, class Index>
__global__ void copy_strided_kernel(D* __restrict__ dst, const S* __restrict__ src, int64_t count, CopyDims dims) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += step) {
    Index rem = static_cast<Index>(i), soff = 0, doff = 0;
#pragma unroll
    for (int d = 0; d < kMaxDims; ++d) {
      if (d == dims.ndim) break;
      const Index extent = static_cast<Index>(dims.shape[d]);
      const Index c = rem % extent;
      rem /= extent;
      soff += c * static_cast<Index>(dims.src_strides[d]);
      doff += c * static_cast<Index>(dims.dst_strides[d]);
    }
    dst[doff] = convert<D>(src[soff]);
  }
}

}  // namespace dc::gpu::copy_kernel
