// Device code of ReLU linear attention.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"

namespace dc::gpu::linear_attention_kernel {

constexpr int kTile = 32;        // VK tile edge and tokens per loop step (threadIdx.x)
constexpr int kRowsPerPass = 8;  // threadIdx.y
constexpr int kApplyCols = 64;   // tokens per apply block (2 per thread)

__device__ __forceinline__ float relu(float x) { return x > 0.0f ? x : 0.0f; }

// Block (32, 8) computes the 32x32 tile (i0.., j0..) of VK = Σ_m v[i, m] relu(k[j, m])
// over the tokens of split s, plus (blocks with i0 = 0) ksum[j] = Σ_m relu(k[j, m]),
// into dst[bh, s] laid out [(d+1), d] with ksum as row d.
template <class T>
__global__ void kv_partial_kernel(float* __restrict__ dst, const T* __restrict__ k, const T* __restrict__ v,
                                  int64_t d, int64_t tokens, int64_t splits, int64_t chunk) {
  __shared__ float vs[kTile][kTile + 1];  // [i][m]
  __shared__ float ks[kTile][kTile + 1];  // [j][m]
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int64_t i0 = static_cast<int64_t>(blockIdx.x) * kTile, j0 = static_cast<int64_t>(blockIdx.y) * kTile;
  const int64_t bh = blockIdx.z / splits, s = blockIdx.z % splits;
  const int64_t m_begin = s * chunk, m_end = m_begin + chunk < tokens ? m_begin + chunk : tokens;
  const T* kb = k + bh * d * tokens;
  const T* vb = v + bh * d * tokens;
  const bool with_ksum = blockIdx.x == 0 && ty == 0;
  float acc[kTile / kRowsPerPass] = {};
  float ksum = 0.0f;
  for (int64_t m0 = m_begin; m0 < m_end; m0 += kTile) {
    const int64_t m = m0 + tx;
#pragma unroll
    for (int r = 0; r < kTile / kRowsPerPass; ++r) {
      const int row = ty + r * kRowsPerPass;
      const int64_t vi = i0 + row, kj = j0 + row;
      vs[row][tx] = (m < m_end && vi < d) ? to_f32(vb[vi * tokens + m]) : 0.0f;
      ks[row][tx] = (m < m_end && kj < d) ? relu(to_f32(kb[kj * tokens + m])) : 0.0f;
    }
    __syncthreads();
#pragma unroll 8
    for (int mm = 0; mm < kTile; ++mm) {
      const float kv = ks[tx][mm];
#pragma unroll
      for (int r = 0; r < kTile / kRowsPerPass; ++r) acc[r] += vs[ty + r * kRowsPerPass][mm] * kv;
      if (with_ksum) ksum += kv;
    }
    __syncthreads();
  }
  float* out = dst + (bh * splits + s) * (d + 1) * d;
  const int64_t j = j0 + tx;
  if (j >= d) return;
#pragma unroll
  for (int r = 0; r < kTile / kRowsPerPass; ++r) {
    const int64_t i = i0 + ty + r * kRowsPerPass;
    if (i < d) out[i * d + j] = acc[r];
  }
  if (with_ksum) out[d * d + j] = ksum;
}

// reduced[bh, e] = Σ_s partial[bh, s, e] in split order.
__global__ void split_sum_kernel(float* __restrict__ reduced, const float* __restrict__ partial, int64_t batch_heads,
                                 int64_t splits, int64_t elems) {
  const int64_t total = batch_heads * elems;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; t < total; t += step) {
    const int64_t bh = t / elems, e = t % elems;
    const float* src = partial + bh * splits * elems + e;
    float acc = 0.0f;
    for (int64_t s = 0; s < splits; ++s) acc += src[s * elems];
    reduced[t] = acc;
  }
}

// Block (32, 8) handles kApplyCols tokens of one bh. Dynamic shared memory:
// vk [(d+1) * d] then relu(q) tile [d][kApplyCols + 1].
template <class T>
__global__ void apply_kernel(T* __restrict__ out, const T* __restrict__ q, const float* __restrict__ vk_all,
                             int64_t d, int64_t tokens, float eps) {
  extern __shared__ float smem[];
  float* vk = smem;
  float* qs = smem + (d + 1) * d;
  constexpr int kStride = kApplyCols + 1;
  constexpr int kColsPerThread = kApplyCols / kTile;
  const int tx = threadIdx.x, ty = threadIdx.y, tid = ty * kTile + tx;
  const int64_t bh = blockIdx.y, n0 = static_cast<int64_t>(blockIdx.x) * kApplyCols;
  const float* vkb = vk_all + bh * (d + 1) * d;
  for (int64_t e = tid; e < (d + 1) * d; e += kTile * kRowsPerPass) vk[e] = vkb[e];
  const T* qb = q + bh * d * tokens;
  for (int64_t row = ty; row < d; row += kRowsPerPass) {
#pragma unroll
    for (int c = 0; c < kColsPerThread; ++c) {
      const int64_t n = n0 + tx + c * kTile;
      qs[row * kStride + tx + c * kTile] = n < tokens ? relu(to_f32(qb[row * tokens + n])) : 0.0f;
    }
  }
  __syncthreads();
  float den[kColsPerThread] = {};
  for (int64_t j = 0; j < d; ++j) {
    const float ks = vk[d * d + j];
#pragma unroll
    for (int c = 0; c < kColsPerThread; ++c) den[c] += ks * qs[j * kStride + tx + c * kTile];
  }
  T* ob = out + bh * d * tokens;
  for (int64_t i = ty; i < d; i += kRowsPerPass) {
    float num[kColsPerThread] = {};
    const float* vrow = vk + i * d;
    for (int64_t j = 0; j < d; ++j) {
      const float w = vrow[j];
#pragma unroll
      for (int c = 0; c < kColsPerThread; ++c) num[c] += w * qs[j * kStride + tx + c * kTile];
    }
#pragma unroll
    for (int c = 0; c < kColsPerThread; ++c) {
      const int64_t n = n0 + tx + c * kTile;
      if (n < tokens) ob[i * tokens + n] = from_f32<T>(num[c] / (den[c] + eps));
    }
  }
}

}  // namespace dc::gpu::linear_attention_kernel
