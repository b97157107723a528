// Device code of the norm family; statistics accumulate in f32 and reduce in a
// fixed order (deterministic for a given launch shape).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/reduce.cuh"
#include "gpu/cuda/elementwise/elementwise_kernel.cuh"
#include "gpu/cuda/norm/norm.h"

namespace dc::gpu::norm_kernel {

// The fused end of every norm kernel: y = act(r) + residual, one rounding.
__device__ __forceinline__ float epilogue(float r, ActivationKind act, float residual) {
  return elementwise_kernel::activate(act, r) + residual;
}

// One block per row (grid-stride over rows), V elements per access (V > 1 only
// when cols % V == 0 and every pointer is 16-byte aligned). The row is read
// two (RMS) or three (LayerNorm) times; after the first pass it sits in L1/L2.
// For long rows; row_norm_lanes_kernel holds shorter ones in registers.
template <class T, int V>
__global__ void row_norm_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ weight,
                                const T* __restrict__ bias, const T* __restrict__ residual, int64_t rows,
                                int64_t cols, float eps, RowNormKind kind, ActivationKind act) {
  __shared__ float scratch[32];
  using VT = Vec<T, V>;
  const int64_t nvec = cols / V;
  const float inv_cols = 1.0f / static_cast<float>(cols);
  const VT* wv = reinterpret_cast<const VT*>(weight);
  const VT* bv = reinterpret_cast<const VT*>(bias);
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const VT* xr = reinterpret_cast<const VT*>(x + row * cols);
    const VT* rr = residual ? reinterpret_cast<const VT*>(residual + row * cols) : nullptr;
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
      VT w, b, res, y;
      if (weight) w = wv[i];
      if (bias) b = bv[i];
      if (rr) res = rr[i];
#pragma unroll
      for (int j = 0; j < V; ++j) {
        float r = (to_f32(v.v[j]) - mean) * inv;
        if (weight) r *= to_f32(w.v[j]);
        if (bias) r += to_f32(b.v[j]);
        y.v[j] = from_f32<T>(epilogue(r, act, rr ? to_f32(res.v[j]) : 0.0f));
      }
      yr[i] = y;
    }
  }
}

// Sum over the `lanes` (a power of two ≤ 32) aligned lanes of a row group.
__device__ __forceinline__ float group_sum(float v, int lanes) {
  for (int o = lanes >> 1; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// Rows of at most 32·K vectors (the channel norm of NHWC data: a row is one
// pixel's C channels): a group of `lanes` lanes per row, each holding up to K
// vectors in registers, so x is read from memory once. Blocks stride over row
// groups uniformly, so every lane of a warp reaches each shuffle.
template <class T, int V, int K>
__global__ void row_norm_lanes_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ weight,
                                      const T* __restrict__ bias, const T* __restrict__ residual, int64_t rows,
                                      int64_t cols, float eps, RowNormKind kind, ActivationKind act, int lanes) {
  using VT = Vec<T, V>;
  const int sub = threadIdx.x & (lanes - 1);
  const int64_t rows_per_block = blockDim.x / lanes;
  const int64_t nvec = cols / V;
  const float inv_cols = 1.0f / static_cast<float>(cols);
  for (int64_t first = blockIdx.x * rows_per_block; first < rows; first += gridDim.x * rows_per_block) {
    const int64_t row = first + threadIdx.x / lanes;
    const bool valid = row < rows;
    VT v[K];
    float s = 0.0f;
#pragma unroll
    for (int k = 0; k < K; ++k) {
      const int64_t i = sub + k * lanes;
      if (valid && i < nvec) {
        v[k] = reinterpret_cast<const VT*>(x + row * cols)[i];
#pragma unroll
        for (int j = 0; j < V; ++j) s += to_f32(v[k].v[j]);
      }
    }
    float mean = 0.0f;
    if (kind == RowNormKind::kLayer) mean = group_sum(s, lanes) * inv_cols;
    float ss = 0.0f;
#pragma unroll
    for (int k = 0; k < K; ++k) {
      if (valid && sub + k * lanes < nvec) {
#pragma unroll
        for (int j = 0; j < V; ++j) {
          const float d = to_f32(v[k].v[j]) - mean;
          ss += d * d;
        }
      }
    }
    const float inv = 1.0f / sqrtf(group_sum(ss, lanes) * inv_cols + eps);
    if (!valid) continue;
#pragma unroll
    for (int k = 0; k < K; ++k) {
      const int64_t i = sub + k * lanes;
      if (i >= nvec) break;
      VT w, b, res, y;
      if (weight) w = reinterpret_cast<const VT*>(weight)[i];
      if (bias) b = reinterpret_cast<const VT*>(bias)[i];
      if (residual) res = reinterpret_cast<const VT*>(residual + row * cols)[i];
#pragma unroll
      for (int j = 0; j < V; ++j) {
        float r = (to_f32(v[k].v[j]) - mean) * inv;
        if (weight) r *= to_f32(w.v[j]);
        if (bias) r += to_f32(b.v[j]);
        y.v[j] = from_f32<T>(epilogue(r, act, residual ? to_f32(res.v[j]) : 0.0f));
      }
      reinterpret_cast<VT*>(out + row * cols)[i] = y;
    }
  }
}

constexpr int kPixTile = 32;  // pixels per block (threadIdx.x)
constexpr int kChanSplit = 8;  // channel slices per block (threadIdx.y)

// RMS over channels of [n, c, hw]: a warp reads 32 consecutive pixels of one
// channel (coalesced); 8 warps split the channels and combine in shared memory.
template <class T>
__global__ void channel_rms_norm_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ weight,
                                        const T* __restrict__ bias, const T* __restrict__ residual, int64_t n,
                                        int64_t c, int64_t hw, float eps, ActivationKind act) {
  __shared__ float part[kChanSplit][kPixTile + 1];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int64_t pix = static_cast<int64_t>(blockIdx.x) * kPixTile + tx;
  const bool valid = pix < hw;
  for (int64_t b = blockIdx.y; b < n; b += gridDim.y) {
    const T* xp = x + b * c * hw + pix;
    const T* rp = residual ? residual + b * c * hw + pix : nullptr;
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
        yp[ch * hw] = from_f32<T>(epilogue(r, act, rp ? to_f32(rp[ch * hw]) : 0.0f));
      }
    }
  }
}

// Channel of element i: (i / hw) % c for [n, c, hw], i % c for [n, hw, c] (channel_stride 1).
template <class T>
__global__ void channel_affine_kernel(T* __restrict__ out, const T* __restrict__ x, const float* __restrict__ scale,
                                      const float* __restrict__ shift, const T* __restrict__ residual,
                                      int64_t total, int64_t c, int64_t channel_stride) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step) {
    const int64_t ch = (i / channel_stride) % c;
    float y = to_f32(x[i]) * scale[ch] + shift[ch];
    if (residual) y += to_f32(residual[i]);
    out[i] = from_f32<T>(y);
  }
}

}  // namespace dc::gpu::norm_kernel
