// Device code of the transformer family (transformer.h). Row kernels hold their
// row in registers, so every input element is read from memory once.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/reduce.cuh"
#include "gpu/cuda/transformer/transformer.h"

namespace dc::gpu::transformer_kernel {

// v stored in T and read back: the rounding a reference makes between two ops.
template <class T>
__device__ __forceinline__ float round_through(float v) {
  return to_f32(from_f32<T>(v));
}

// U: the copy unit (16, 4 or 2 bytes), dividing the row and aligning both tables.
template <class U>
__global__ void embedding_kernel(U* __restrict__ out, const U* __restrict__ table, const int64_t* __restrict__ ids,
                                 int64_t count, int64_t units_per_row) {
  const int64_t total = count * units_per_row;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step) {
    const int64_t row = i / units_per_row, u = i - row * units_per_row;
    out[i] = table[ids[row] * units_per_row + u];
  }
}

// One warp per (b, l, h) row; lane holds P pairs (elements 2(lane + 32t), +1),
// so head_dim ≤ 64·P. An odd head_dim (norm only) leaves the last pair half empty.
template <class T, int P>
__global__ void rms_norm_rope_kernel(RmsNormRopeParams p) {
  const int lane = threadIdx.x & 31;
  const int64_t warps_per_block = blockDim.x >> 5;
  const int64_t rows = p.batch * p.tokens * p.heads;
  const int dim = static_cast<int>(p.head_dim);
  const T* weight = static_cast<const T*>(p.weight);
  for (int64_t row = blockIdx.x * warps_per_block + (threadIdx.x >> 5); row < rows;
       row += gridDim.x * warps_per_block) {
    const int64_t h = row % p.heads, l = (row / p.heads) % p.tokens, b = row / (p.heads * p.tokens);
    const T* x = static_cast<const T*>(p.x) + b * p.x_strides.batch + l * p.x_strides.token + h * p.x_strides.head;
    float2 v[P];
    float ss = 0.0f;
#pragma unroll
    for (int t = 0; t < P; ++t) {
      const int e = 2 * (lane + 32 * t);
      v[t].x = e < dim ? to_f32(x[e]) : 0.0f;
      v[t].y = e + 1 < dim ? to_f32(x[e + 1]) : 0.0f;
      ss += v[t].x * v[t].x + v[t].y * v[t].y;
    }
    if (weight) {
      const float inv = 1.0f / sqrtf(warp_sum(ss) / static_cast<float>(dim) + p.eps);
#pragma unroll
      for (int t = 0; t < P; ++t) {
        const int e = 2 * (lane + 32 * t);
        if (e < dim) v[t].x = round_through<T>(round_through<T>(v[t].x * inv) * to_f32(weight[e]));
        if (e + 1 < dim) v[t].y = round_through<T>(round_through<T>(v[t].y * inv) * to_f32(weight[e + 1]));
      }
    }
    if (p.cos) {
      const float* c = p.cos + l * dim;
      const float* s = p.sin + l * dim;
#pragma unroll
      for (int t = 0; t < P; ++t) {
        const int e = 2 * (lane + 32 * t);
        if (e >= dim) continue;
        const float x0 = v[t].x, x1 = v[t].y;
        v[t].x = x0 * c[e] - x1 * s[e];
        v[t].y = x1 * c[e + 1] + x0 * s[e + 1];
      }
    }
    T* out = static_cast<T*>(p.out) + row * dim;
#pragma unroll
    for (int t = 0; t < P; ++t) {
      const int e = 2 * (lane + 32 * t);
      if (e < dim) out[e] = from_f32<T>(v[t].x);
      if (e + 1 < dim) out[e + 1] = from_f32<T>(v[t].y);
    }
  }
}

// One block per token row (grid-stride); thread holds K vectors of V elements
// (V > 1 only when every row start is 16-byte aligned).
template <class T, int V, int K>
__global__ void layer_norm_modulate_kernel(LayerNormModulateParams p) {
  __shared__ float scratch[32];
  using VT = Vec<T, V>;
  const int64_t rows = p.batch * p.tokens, nvec = p.channels / V;
  const float inv_c = 1.0f / static_cast<float>(p.channels);
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const int64_t b = row / p.tokens;
    const VT* x = reinterpret_cast<const VT*>(static_cast<const T*>(p.x) + row * p.channels);
    const VT* scale = reinterpret_cast<const VT*>(static_cast<const T*>(p.scale) + b * p.scale_row_stride);
    const VT* shift = reinterpret_cast<const VT*>(static_cast<const T*>(p.shift) + b * p.shift_row_stride);
    VT xv[K];
    float s = 0.0f;
#pragma unroll
    for (int k = 0; k < K; ++k) {
      const int64_t i = threadIdx.x + k * static_cast<int64_t>(blockDim.x);
      if (i < nvec) {
        xv[k] = x[i];
#pragma unroll
        for (int j = 0; j < V; ++j) s += to_f32(xv[k].v[j]);
      }
    }
    const float mean = block_sum(s, scratch) * inv_c;
    float ss = 0.0f;
#pragma unroll
    for (int k = 0; k < K; ++k) {
      if (threadIdx.x + k * static_cast<int64_t>(blockDim.x) < nvec) {
#pragma unroll
        for (int j = 0; j < V; ++j) {
          const float d = to_f32(xv[k].v[j]) - mean;
          ss += d * d;
        }
      }
    }
    const float inv = 1.0f / sqrtf(block_sum(ss, scratch) * inv_c + p.eps);
    VT* out = reinterpret_cast<VT*>(static_cast<T*>(p.out) + row * p.channels);
#pragma unroll
    for (int k = 0; k < K; ++k) {
      const int64_t i = threadIdx.x + k * static_cast<int64_t>(blockDim.x);
      if (i >= nvec) continue;
      const VT sc = scale[i], sh = shift[i];
      VT y;
#pragma unroll
      for (int j = 0; j < V; ++j) {
        const float n = round_through<T>((to_f32(xv[k].v[j]) - mean) * inv);
        y.v[j] = from_f32<T>(n * (1.0f + to_f32(sc.v[j])) + to_f32(sh.v[j]));
      }
      out[i] = y;
    }
  }
}

// Grid-stride over V-element vectors of [batch, tokens, channels].
template <class T, int V>
__global__ void gated_residual_kernel(GatedResidualParams p) {
  using VT = Vec<T, V>;
  const int64_t cvec = p.channels / V, total = p.batch * p.tokens * cvec;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step) {
    const int64_t c = i % cvec, row = i / cvec, l = row % p.tokens, b = row / p.tokens;
    const VT xv = reinterpret_cast<const VT*>(p.x)[i];
    const VT gv = reinterpret_cast<const VT*>(static_cast<const T*>(p.gate) + b * p.gate_row_stride)[c];
    const VT yv =
        reinterpret_cast<const VT*>(static_cast<const T*>(p.y) + b * p.y_batch_stride + l * p.y_token_stride)[c];
    VT o;
#pragma unroll
    for (int j = 0; j < V; ++j) o.v[j] = from_f32<T>(to_f32(xv.v[j]) + to_f32(gv.v[j]) * to_f32(yv.v[j]));
    reinterpret_cast<VT*>(p.out)[i] = o;
  }
}

}  // namespace dc::gpu::transformer_kernel
