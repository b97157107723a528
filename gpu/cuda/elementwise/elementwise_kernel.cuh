// Device code of the pointwise family. Arithmetic in f32, one rounding on store.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu::elementwise_kernel {

__device__ __forceinline__ float activate(ActivationKind act, float x) {
  switch (act) {
    case ActivationKind::kIdentity: return x;
    case ActivationKind::kReLU: return x > 0.0f ? x : 0.0f;
    case ActivationKind::kReLU6: return fminf(fmaxf(x, 0.0f), 6.0f);
    case ActivationKind::kSiLU: return x / (1.0f + expf(-x));
    case ActivationKind::kGELU: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case ActivationKind::kGELUTanh: {
      const float inner = 0.7978845608028654f * (x + 0.044715f * x * x * x);
      return 0.5f * x * (1.0f + tanhf(inner));
    }
    case ActivationKind::kQuickGELU: return x / (1.0f + expf(-1.702f * x));
  }
  return x;
}

__device__ __forceinline__ float apply_binary(BinaryKind op, float a, float b) {
  switch (op) {
    case BinaryKind::kAdd: return a + b;
    case BinaryKind::kSub: return a - b;
    case BinaryKind::kMul: return a * b;
  }
  return a;
}

__device__ __forceinline__ int64_t global_thread() {
  return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ int64_t grid_threads() { return static_cast<int64_t>(gridDim.x) * blockDim.x; }

// out = act(x) * scale, or x * act(gate) * scale. V elements per access (V = 1
// when a pointer is not 16-byte aligned); the tail beyond the last full vector
// is handled element-wise by the first threads.
template <class T, int V>
__global__ void pointwise_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ gate,
                                 int64_t count, ActivationKind act, float scale) {
  const int64_t nvec = count / V;
  for (int64_t i = global_thread(); i < nvec; i += grid_threads()) {
    Vec<T, V> xv = reinterpret_cast<const Vec<T, V>*>(x)[i];
    Vec<T, V> ov;
    if (gate) {
      const Vec<T, V> gv = reinterpret_cast<const Vec<T, V>*>(gate)[i];
#pragma unroll
      for (int j = 0; j < V; ++j) ov.v[j] = from_f32<T>(to_f32(xv.v[j]) * activate(act, to_f32(gv.v[j])) * scale);
    } else {
#pragma unroll
      for (int j = 0; j < V; ++j) ov.v[j] = from_f32<T>(activate(act, to_f32(xv.v[j])) * scale);
    }
    reinterpret_cast<Vec<T, V>*>(out)[i] = ov;
  }
  const int64_t tail = nvec * V + global_thread();
  if (tail < count) {
    const float xf = to_f32(x[tail]);
    out[tail] = from_f32<T>(gate ? xf * activate(act, to_f32(gate[tail])) * scale : activate(act, xf) * scale);
  }
}

// Rows mode of pointwise_kernel (x, gate strided rows, out contiguous): blockIdx.x
// strides over the row's vectors, blockIdx.y over rows; V elements per access
// (V = 1 unless cols, both row strides and the pointers allow 16-byte vectors).
template <class T, int V>
__global__ void pointwise_rows_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ gate,
                                      int64_t rows, int64_t cols, int64_t x_stride, int64_t gate_stride,
                                      ActivationKind act, float scale) {
  using VT = Vec<T, V>;
  const int64_t nvec = cols / V;
  for (int64_t r = blockIdx.y; r < rows; r += gridDim.y) {
    const VT* xr = reinterpret_cast<const VT*>(x + r * x_stride);
    const VT* gr = gate ? reinterpret_cast<const VT*>(gate + r * gate_stride) : nullptr;
    VT* orow = reinterpret_cast<VT*>(out + r * cols);
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < nvec;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
      const VT xv = xr[i];
      VT ov;
      if (gr) {
        const VT gv = gr[i];
#pragma unroll
        for (int j = 0; j < V; ++j) ov.v[j] = from_f32<T>(to_f32(xv.v[j]) * activate(act, to_f32(gv.v[j])) * scale);
      } else {
#pragma unroll
        for (int j = 0; j < V; ++j) ov.v[j] = from_f32<T>(activate(act, to_f32(xv.v[j])) * scale);
      }
      orow[i] = ov;
    }
  }
}

// out = a op b, all contiguous and of the same shape.
template <class T, int V>
__global__ void binary_flat_kernel(T* __restrict__ out, const T* __restrict__ a, const T* __restrict__ b,
                                   int64_t count, BinaryKind op) {
  const int64_t nvec = count / V;
  for (int64_t i = global_thread(); i < nvec; i += grid_threads()) {
    const Vec<T, V> av = reinterpret_cast<const Vec<T, V>*>(a)[i];
    const Vec<T, V> bv = reinterpret_cast<const Vec<T, V>*>(b)[i];
    Vec<T, V> ov;
#pragma unroll
    for (int j = 0; j < V; ++j) ov.v[j] = from_f32<T>(apply_binary(op, to_f32(av.v[j]), to_f32(bv.v[j])));
    reinterpret_cast<Vec<T, V>*>(out)[i] = ov;
  }
  const int64_t tail = nvec * V + global_thread();
  if (tail < count) out[tail] = from_f32<T>(apply_binary(op, to_f32(a[tail]), to_f32(b[tail])));
}

// Dims innermost first; b addressed through strides (0 = broadcast).
struct BroadcastDims {
  int ndim;
  int64_t shape[kMaxDims];
  int64_t b_strides[kMaxDims];
};

// Index is uint32_t when every extent and offset fits (faster div/mod), else int64_t.
template <class T, class Index>
__global__ void binary_strided_kernel(T* __restrict__ out, const T* __restrict__ a, const T* __restrict__ b,
                                      int64_t count, BroadcastDims dims, BinaryKind op) {
  for (int64_t i = global_thread(); i < count; i += grid_threads()) {
    Index rem = static_cast<Index>(i), boff = 0;
#pragma unroll
    for (int d = 0; d < kMaxDims; ++d) {
      if (d == dims.ndim) break;
      const Index extent = static_cast<Index>(dims.shape[d]);
      const Index c = rem % extent;
      rem /= extent;
      boff += c * static_cast<Index>(dims.b_strides[d]);
    }
    out[i] = from_f32<T>(apply_binary(op, to_f32(a[i]), to_f32(b[boff])));
  }
}

template <class U>
__global__ void fill_kernel(U* __restrict__ dst, int64_t count, U value) {
  for (int64_t i = global_thread(); i < count; i += grid_threads()) dst[i] = value;
}

}  // namespace dc::gpu::elementwise_kernel
