// Device code of the general attention path: one warp per query row, f32
// throughout (f32 inputs, and head dims the tensor-core kernel does not cover).
// Keys are visited 32 at a time: lane j scores key j0 + j against the row's q
// (held in shared memory), the warp updates the online softmax, then every lane
// accumulates its D/32 output elements over the 32 probabilities.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/attention/flash_attention.h"
#include "gpu/cuda/common/convert.cuh"

namespace dc::gpu::attention_rows_kernel {

constexpr int kWarps = 4;  // query rows per block
constexpr float kNegInf = -__builtin_huge_valf();

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

__device__ __forceinline__ float warp_add(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// DPL: output elements per lane (head_dim ≤ 32·DPL). Rows are ordered (b, h, i)
// with i fastest, so neighbouring warps read the same keys (cache reuse).
template <class T, int DPL>
__global__ void __launch_bounds__(kWarps * 32) attention_rows_kernel(AttentionParams p) {
  __shared__ float q_row[kWarps][32 * DPL];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int64_t row = static_cast<int64_t>(blockIdx.x) * kWarps + warp;
  if (row >= p.batch * p.heads * p.q_len) return;  // whole warps only: no block-level sync below
  const int64_t i = row % p.q_len, h = (row / p.q_len) % p.heads, b = row / (p.q_len * p.heads);
  const int dim = static_cast<int>(p.head_dim);
  const T* q = static_cast<const T*>(p.q) + b * p.q_strides.batch + i * p.q_strides.token + h * p.q_strides.head;
  const T* k = static_cast<const T*>(p.k) + b * p.k_strides.batch + h * p.k_strides.head;
  const T* v = static_cast<const T*>(p.v) + b * p.v_strides.batch + h * p.v_strides.head;
  const uint8_t* mask = p.key_mask ? p.key_mask + b * p.kv_len : nullptr;
  const float* bias =
      p.bias ? p.bias + b * p.bias_strides[0] + h * p.bias_strides[1] + i * p.bias_strides[2] : nullptr;
  for (int d = lane; d < dim; d += 32) q_row[warp][d] = to_f32(q[d]);
  __syncwarp();

  const int64_t kv_end = p.causal ? (i + 1 < p.kv_len ? i + 1 : p.kv_len) : p.kv_len;
  float m = kNegInf, l = 0.0f, acc[DPL];
#pragma unroll
  for (int t = 0; t < DPL; ++t) acc[t] = 0.0f;

  for (int64_t j0 = 0; j0 < kv_end; j0 += 32) {
    const int64_t j = j0 + lane;
    float s = kNegInf;
    if (j < kv_end && (!mask || mask[j])) {
      const T* kr = k + j * p.k_strides.token;
      float dot = 0.0f;
      for (int d = 0; d < dim; ++d) dot = fmaf(q_row[warp][d], to_f32(kr[d]), dot);
      s = dot * p.scale;
      if (bias) s += bias[j * p.bias_strides[3]];
    }
    const float m_new = fmaxf(m, warp_max(s));
    if (m_new == kNegInf) continue;  // nothing attendable yet (uniform across the warp)
    const float correction = expf(m - m_new);  // 0 when m is -inf
    const float pj = s == kNegInf ? 0.0f : expf(s - m_new);
    l = l * correction + warp_add(pj);
#pragma unroll
    for (int t = 0; t < DPL; ++t) acc[t] *= correction;
    const int n = static_cast<int>(kv_end - j0 < 32 ? kv_end - j0 : 32);
    for (int jj = 0; jj < n; ++jj) {
      const float pb = __shfl_sync(0xffffffffu, pj, jj);
      if (pb == 0.0f) continue;
      const T* vr = v + (j0 + jj) * p.v_strides.token;
#pragma unroll
      for (int t = 0; t < DPL; ++t) {
        const int d = lane + 32 * t;
        if (d < dim) acc[t] = fmaf(pb, to_f32(vr[d]), acc[t]);
      }
    }
    m = m_new;
  }
  const float inv = l > 0.0f ? 1.0f / l : 0.0f;
  T* out = static_cast<T*>(p.out) + ((b * p.q_len + i) * p.heads + h) * p.head_dim;
#pragma unroll
  for (int t = 0; t < DPL; ++t) {
    const int d = lane + 32 * t;
    if (d < dim) out[d] = from_f32<T>(acc[t] * inv);
  }
}

}  // namespace dc::gpu::attention_rows_kernel
