// Device code of the norm family; statistics accumulate in f32 and reduce in a
// fixed order (deterministic for a given launch shape).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/reduce.cuh"
#include "gpu/cuda/norm/norm.h"

namespace dc::gpu::norm_kernel {

// One block per row (grid-stride over rows), V elements per access (V > 1 only
// when cols % V == 0 and every pointer is 16-byte aligned). The row is read
// two (RMS) or three (LayerNorm) times; after the first pass it sits in L1/L2.
template <class T, int V>
__global__ void row_norm_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ weight,
                                const T* __restrict__ bias, int64_t rows, int64_t cols, float eps, RowNormKind kind) {
  __shared__ float scratch[32];
  using VT = Vec<T, V>;
  const int64_t nvec = cols / V;
  const float inv_cols = 1.0f / static_cast<float>(cols);
  const VT* wv = reinterpret_cast<const VT*>(weight);
  const VT* bv = reinterpret_cast<const VT*>(bias);
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const VT* xr = reinterpret_cast<const VT*>(x + row * cols);
    VT* yr = reinterpret_cast<VT*>(out + row * cols);
    float mean = 0.0f;
    if (kind == RowNormKind::kLayer) {
      float s = 0.0f;
      for (int64_t i = threadIdx.x; i < nvec; i += blockDim.x) {
        const VT v = xr[i];
#pragma unroll
        for (int j = 0; j < V; ++j) s += to_f32(v.v[j]);
      }
      mean = block_sum(s, scratch) * inv_cols;
    }
    float ss = 0.0f;
    for (int64_t i = threadIdx.x; i < nvec; i += blockDim.x) {
      const VT v = xr[i];
#pragma unroll
      for (int j = 0; j < V; ++j) {
        const float d = to_f32(v.v[j]) - mean;
        ss += d * d;
      }
    }
    const float inv = 1.0f / sqrtf(block_sum(ss, scratch) * inv_cols + eps);
    for (int64_t i = threadIdx.x; i < nvec; i += blockDim.x) {
      const VT v = xr[i];
      VT w, b, y;
      if (weight) w = wv[i];
      if (bias) b = bv[i];
#pragma unroll
      for (int j = 0; j < V; ++j) {
        float r = (to_f32(v.v[j]) - mean) * inv;
        if (weight) r *= to_f32(w.v[j]);
        if (bias) r += to_f32(b.v[j]);
        y.v[j] = from_f32<T>(r);
      }
      yr[i] = y;
    }
  }
}

constexpr int kPixTile = 32;  // pixels per block (threadIdx.x)
constexpr int kChanSplit = 8;  // channel slices per block (threadIdx.y)

// RMS over channels of [n, c, hw]: a warp reads 32 consecutive pixels of one
// channel (coalesced); 8 warps split the channels and combine in shared memory.
template <class T>
__global__ void channel_rms_norm_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ weight,
                                        const T* __restrict__ bias, int64_t n, int64_t c, int64_t hw, float eps) {
  __shared__ float part[kChanSplit][kPixTile + 1];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int64_t pix = static_cast<int64_t>(blockIdx.x) * kPixTile + tx;
  const bool valid = pix < hw;
  for (int64_t b = blockIdx.y; b < n; b += gridDim.y) {
    const T* xp = x + b * c * hw + pix;
    T* yp = out + b * c * hw + pix;
    float s = 0.0f;
    if (valid) {
      for (int64_t ch = ty; ch < c; ch += kChanSplit) {
        const float v = to_f32(xp[ch * hw]);
        s += v * v;
      }
    }
    part[ty][tx] = s;
    __syncthreads();
    float total = 0.0f;
#pragma unroll
    for (int k = 0; k < kChanSplit; ++k) total += part[k][tx];
    __syncthreads();  // part is rewritten by the next image
    const float inv = 1.0f / sqrtf(total / static_cast<float>(c) + eps);
    if (valid) {
      for (int64_t ch = ty; ch < c; ch += kChanSplit) {
        float r = to_f32(xp[ch * hw]) * inv;
        if (weight) r *= to_f32(weight[ch]);
        if (bias) r += to_f32(bias[ch]);
        yp[ch * hw] = from_f32<T>(r);
      }
    }
  }
}

template <class T>
__global__ void channel_affine_kernel(T* __restrict__ out, const T* __restrict__ x, const float* __restrict__ scale,
                                      const float* __restrict__ shift, int64_t total, int64_t c, int64_t hw) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step) {
    const int64_t ch = (i / hw) % c;
    out[i] = from_f32<T>(to_f32(x[i]) * scale[ch] + shift[ch]);
  }
}

}  // namespace dc::gpu::norm_kernel
