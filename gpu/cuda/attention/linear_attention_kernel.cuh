// Device code of ReLU linear attention.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/attention/linear_attention.h"
#include "gpu/cuda/common/convert.cuh"

namespace dc::gpu::linear_attention_kernel {

constexpr int kTile = 32;        // VK tile edge and tokens per loop step (threadIdx.x)
constexpr int kRowsPerPass = 8;  // threadIdx.y
constexpr int kApplyCols = 64;   // tokens per apply block (2 per thread)
constexpr int kApplyStride = kApplyCols + 1;

__device__ __forceinline__ float relu(float x) { return x > 0.0f ? x : 0.0f; }

// Start of (b, h) of an operand, bh = b·heads + h.
template <class T>
__device__ __forceinline__ T* head_base(T* p, const AttentionStrides& s, int64_t bh, int64_t heads) {
  return p + (bh / heads) * s.batch + (bh % heads) * s.head;
}

// The dims of a [d, N] operand are walked along whichever stride is 1: the
// token stride (channel-major NCHW views) or the dim stride (views of a
// channels-last tensor, where one pixel's channels are adjacent).
__device__ __forceinline__ bool dim_is_fast(const AttentionStrides& s) { return s.dim == 1 && s.token != 1; }

// Loads rows r0.. (of d) and tokens m0.. (< m_end) of a [d, N] operand into the
// kTile x kTile tile s[row][token], relu'd when kRelu, zero outside.
template <bool kRelu, class T>
__device__ __forceinline__ void load_tile(float (*s)[kTile + 1], const T* base, const AttentionStrides& st,
                                          int64_t r0, int64_t d, int64_t m0, int64_t m_end) {
  const bool dim_fast = dim_is_fast(st);
#pragma unroll
  for (int r = 0; r < kTile / kRowsPerPass; ++r) {
    const int a = threadIdx.y + r * kRowsPerPass;
    const int row = dim_fast ? threadIdx.x : a, col = dim_fast ? a : threadIdx.x;
    const int64_t gr = r0 + row, m = m0 + col;
    const float v = (gr < d && m < m_end) ? to_f32(base[gr * st.dim + m * st.token]) : 0.0f;
    s[row][col] = kRelu ? relu(v) : v;
  }
}

// Block (32, 8) computes the 32x32 tile (i0.., j0..) of VK = Σ_m v[i, m] relu(k[j, m])
// over the tokens of split s, plus (blocks with i0 = 0) ksum[j] = Σ_m relu(k[j, m]),
// into dst[bh, s] laid out [(d+1), d] with ksum as row d.
template <class T>
__global__ void kv_partial_kernel(float* __restrict__ dst, const T* __restrict__ k, const T* __restrict__ v,
                                  AttentionStrides ks_st, AttentionStrides vs_st, int64_t heads, int64_t d,
                                  int64_t tokens, int64_t splits, int64_t chunk) {
  __shared__ float vs[kTile][kTile + 1];  // [i][m]
  __shared__ float ks[kTile][kTile + 1];  // [j][m]
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int64_t i0 = static_cast<int64_t>(blockIdx.x) * kTile, j0 = static_cast<int64_t>(blockIdx.y) * kTile;
  const int64_t bh = blockIdx.z / splits, s = blockIdx.z % splits;
  const int64_t m_begin = s * chunk, m_end = m_begin + chunk < tokens ? m_begin + chunk : tokens;
  const T* kb = head_base(k, ks_st, bh, heads);
  const T* vb = head_base(v, vs_st, bh, heads);
  const bool with_ksum = blockIdx.x == 0 && ty == 0;
  float acc[kTile / kRowsPerPass] = {};
  float ksum = 0.0f;
  for (int64_t m0 = m_begin; m0 < m_end; m0 += kTile) {
    load_tile<false>(vs, vb, vs_st, i0, d, m0, m_end);
    load_tile<true>(ks, kb, ks_st, j0, d, m0, m_end);
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

// Element e of a d x kApplyCols tile as (row, col), rows fastest when the
// operand's dim stride is 1, so consecutive threads touch adjacent memory.
__device__ __forceinline__ void tile_coords(int e, int d, bool dim_fast, int& row, int& col) {
  if (dim_fast) {
    row = e % d;
    col = e / d;
  } else {
    col = e % kApplyCols;
    row = e / kApplyCols;
  }
}

// Block (32, 8) handles kApplyCols tokens of one bh. Dynamic shared memory:
// vk [(d+1) * d], relu(q) tile [d][kApplyStride], output tile [d][kApplyStride]
// (staged so the store is coalesced in either output layout).
template <class T>
__global__ void apply_kernel(T* __restrict__ out, const T* __restrict__ q, const float* __restrict__ vk_all,
                             AttentionStrides q_st, AttentionStrides out_st, int64_t heads, int64_t d, int64_t tokens,
                             float eps) {
  extern __shared__ float smem[];
  float* vk = smem;
  float* qs = smem + (d + 1) * d;
  float* ys = qs + d * kApplyStride;
  constexpr int kColsPerThread = kApplyCols / kTile;
  constexpr int kThreads = kTile * kRowsPerPass;
  const int tx = threadIdx.x, ty = threadIdx.y, tid = ty * kTile + tx;
  const int64_t bh = blockIdx.y, n0 = static_cast<int64_t>(blockIdx.x) * kApplyCols;
  const int di = static_cast<int>(d);
  const float* vkb = vk_all + bh * (d + 1) * d;
  for (int64_t e = tid; e < (d + 1) * d; e += kThreads) vk[e] = vkb[e];
  const T* qb = head_base(q, q_st, bh, heads);
  const bool q_dim_fast = dim_is_fast(q_st);
  for (int e = tid; e < di * kApplyCols; e += kThreads) {
    int row, col;
    tile_coords(e, di, q_dim_fast, row, col);
    const int64_t n = n0 + col;
    qs[row * kApplyStride + col] = n < tokens ? relu(to_f32(qb[row * q_st.dim + n * q_st.token])) : 0.0f;
  }
  __syncthreads();
  float den[kColsPerThread] = {};
  for (int64_t j = 0; j < d; ++j) {
    const float ks = vk[d * d + j];
#pragma unroll
    for (int c = 0; c < kColsPerThread; ++c) den[c] += ks * qs[j * kApplyStride + tx + c * kTile];
  }
  for (int64_t i = ty; i < d; i += kRowsPerPass) {
    float num[kColsPerThread] = {};
    const float* vrow = vk + i * d;
    for (int64_t j = 0; j < d; ++j) {
      const float w = vrow[j];
#pragma unroll
      for (int c = 0; c < kColsPerThread; ++c) num[c] += w * qs[j * kApplyStride + tx + c * kTile];
    }
#pragma unroll
    for (int c = 0; c < kColsPerThread; ++c) ys[i * kApplyStride + tx + c * kTile] = num[c] / (den[c] + eps);
  }
  __syncthreads();
  T* ob = head_base(out, out_st, bh, heads);
  const bool out_dim_fast = dim_is_fast(out_st);
  for (int e = tid; e < di * kApplyCols; e += kThreads) {
    int row, col;
    tile_coords(e, di, out_dim_fast, row, col);
    const int64_t n = n0 + col;
    if (n < tokens) ob[row * out_st.dim + n * out_st.token] = from_f32<T>(ys[row * kApplyStride + col]);
  }
}

}  // namespace dc::gpu::linear_attention_kernel
