// Device-side element access shared by kernel families: f32 <-> storage type
// conversion (round-to-nearest-even on store, as the CPU reference does),
// 16-byte vectors, and a host-side dtype switch that instantiates a kernel
// once per activation type.
//
//   return dispatch_activation_type(p.dtype, [&](auto tag) {
//     using T = decltype(tag);
//     my_kernel<T><<<grid, block, 0, p.stream>>>(...);
//     return launch_status("my_kernel");
//   });
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

template <class T>
__device__ __forceinline__ float to_f32(T v);
template <>
__device__ __forceinline__ float to_f32<float>(float v) {
  return v;
}
template <>
__device__ __forceinline__ float to_f32<__nv_bfloat16>(__nv_bfloat16 v) {
  return __bfloat162float(v);
}
template <>
__device__ __forceinline__ float to_f32<__half>(__half v) {
  return __half2float(v);
}

template <class T>
__device__ __forceinline__ T from_f32(float v);
template <>
__device__ __forceinline__ float from_f32<float>(float v) {
  return v;
}
template <>
__device__ __forceinline__ __nv_bfloat16 from_f32<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}
template <>
__device__ __forceinline__ __half from_f32<__half>(float v) {
  return __float2half_rn(v);
}

// N elements moved as one aligned access (N * sizeof(T) = 16 for the vector paths).
template <class T, int N>
struct alignas(sizeof(T) * N) Vec {
  T v[N];
};

// Elements of T per 16-byte access.
template <class T>
constexpr int kVec16 = 16 / static_cast<int>(sizeof(T));

inline bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

// Calls f(T{}) with T the storage type of `t` (float, __nv_bfloat16, __half);
// other types return an error without calling f.
template <class F>
std::string dispatch_activation_type(DataType t, F&& f) {
  switch (t) {
    case DataType::kF32: return f(float{});
    case DataType::kBF16: return f(__nv_bfloat16{});
    case DataType::kF16: return f(__half{});
    default: break;
  }
  return std::string("unsupported dtype ") + data_type_name(t) + " (f32, bf16, f16 are supported)";
}

// Grid size for a grid-stride loop over `work` items: enough blocks to fill the
// device several times over, never more than the work needs.
inline unsigned grid_for(int64_t work, int block, int64_t max_blocks = 65536) {
  int64_t blocks = (work + block - 1) / block;
  if (blocks < 1) blocks = 1;
  if (blocks > max_blocks) blocks = max_blocks;
  return static_cast<unsigned>(blocks);
}

}  // namespace dc::gpu
