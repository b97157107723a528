// Device code of the fusions family (fusions.h).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/reduce.cuh"
#include "gpu/cuda/elementwise/elementwise_kernel.cuh"
#include "gpu/cuda/fusions/fusions.h"
#include "gpu/cuda/transformer/transformer_kernel.cuh"

namespace dc::gpu::fusions_kernel {

using transformer_kernel::round_through;

// One warp per (b, l, h) head; lane holds E consecutive elements [lane·E, lane·E + E)
// (E even, so its RoPE pairs are whole), head_dim ≤ 32·E. kVec: the head is read and
// written as one E-element access per lane (head_dim % E == 0, aligned rows).
template <class T, int E, bool kVec>
__global__ void rms_norm_rope_inplace_kernel(RmsNormRopeInplaceParams p) {
  const int lane = threadIdx.x & 31;
  const int64_t warps_per_block = blockDim.x >> 5;
  const int64_t rows = p.batch * p.tokens * p.heads;
  const int dim = static_cast<int>(p.head_dim);
  const int e0 = lane * E;
  const int64_t heads_per_group = p.heads / p.groups;
  const T* weight = static_cast<const T*>(p.weight);
  for (int64_t row = blockIdx.x * warps_per_block + (threadIdx.x >> 5); row < rows;
       row += gridDim.x * warps_per_block) {
    const int64_t h = row % p.heads, l = (row / p.heads) % p.tokens, b = row / (p.heads * p.tokens);
    T* x = static_cast<T*>(p.x) + b * p.strides.batch + l * p.strides.token + h * p.strides.head;
    float v[E];
    if constexpr (kVec) {
      if (e0 < dim) {
        const Vec<T, E> in = *reinterpret_cast<const Vec<T, E>*>(x + e0);
#pragma unroll
        for (int j = 0; j < E; ++j) v[j] = to_f32(in.v[j]);
      } else {
#pragma unroll
        for (int j = 0; j < E; ++j) v[j] = 0.0f;
      }
    } else {
#pragma unroll
      for (int j = 0; j < E; ++j) v[j] = e0 + j < dim ? to_f32(x[e0 + j]) : 0.0f;
    }
    float ss = 0.0f;
#pragma unroll
    for (int j = 0; j < E; ++j) ss += v[j] * v[j];
    const float inv = 1.0f / sqrtf(warp_sum(ss) / static_cast<float>(dim) + p.eps);
    const T* w = weight + (h / heads_per_group) * dim;
#pragma unroll
    for (int j = 0; j < E; ++j) {
      if (e0 + j < dim) v[j] = round_through<T>(round_through<T>(v[j] * inv) * to_f32(w[e0 + j]));
    }
    if (p.cos) {
      const float* c = p.cos + l * dim + e0;
      const float* s = p.sin + l * dim + e0;
#pragma unroll
      for (int j = 0; j < E; j += 2) {
        if (e0 + j >= dim) continue;
        const float x0 = v[j], x1 = v[j + 1];
        v[j] = x0 * c[j] - x1 * s[j];
        v[j + 1] = x1 * c[j + 1] + x0 * s[j + 1];
      }
    }
    if constexpr (kVec) {
      if (e0 < dim) {
        Vec<T, E> out;
#pragma unroll
        for (int j = 0; j < E; ++j) out.v[j] = from_f32<T>(v[j]);
        *reinterpret_cast<Vec<T, E>*>(x + e0) = out;
      }
    } else {
#pragma unroll
      for (int j = 0; j < E; ++j)
        if (e0 + j < dim) x[e0 + j] = from_f32<T>(v[j]);
    }
  }
}

// Grid-stride over V-element vectors of the rows (V > 1 only when cols, the row
// stride and the base are 16-byte multiples).
template <class T, int V>
__global__ void activation_inplace_kernel(ActivationInplaceParams p) {
  using VT = Vec<T, V>;
  const int64_t cvec = p.cols / V, total = p.rows * cvec;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step) {
    const int64_t r = i / cvec, c = i - r * cvec;
    VT* at = reinterpret_cast<VT*>(static_cast<T*>(p.x) + r * p.row_stride) + c;
    VT v = *at;
#pragma unroll
    for (int j = 0; j < V; ++j) v.v[j] = from_f32<T>(elementwise_kernel::activate(p.act, to_f32(v.v[j])));
    *at = v;
  }
}

// One thread per (b, i < half): the cos and sin columns of frequency i.
template <class T>
__global__ void timestep_embedding_kernel(TimestepEmbeddingParams p) {
  const int64_t half = p.channels / 2;
  const int64_t total = p.batch * (half > 0 ? half : 1);
  const float neg_log_period = -9.2103403719761827f;  // (float)(-ln 10000), as the CPU reference computes it
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t k = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; k < total; k += step) {
    const int64_t b = half > 0 ? k / half : k, i = half > 0 ? k - b * half : 0;
    T* out = static_cast<T*>(p.out) + b * p.channels;
    if (half > 0) {
      const float t = round_through<T>(round_through<T>(p.values[p.value_count == 1 ? 0 : b]) * p.scale);
      const float freq = expf((neg_log_period * static_cast<float>(i)) / static_cast<float>(half));
      const float arg = t * freq;
      out[i] = from_f32<T>(cosf(arg));
      out[half + i] = from_f32<T>(sinf(arg));
    }
    if (p.channels % 2 != 0 && i == 0) out[p.channels - 1] = from_f32<T>(0.0f);
  }
}

}  // namespace dc::gpu::fusions_kernel
