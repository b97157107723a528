// Pointwise kernels: strided copy with dtype conversion, fill, binary ops with
// a broadcast operand, and scale/activation/gated activation. Raw pointers,
// element strides, a stream; every function returns "" or an error message.
//
//   gpu::PointwiseParams p;
//   p.out = y; p.x = x; p.dtype = gpu::DataType::kBF16; p.count = n;
//   p.act = gpu::ActivationKind::kSiLU; p.stream = stream;
//   if (std::string e = gpu::pointwise(p); !e.empty()) ...
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

constexpr int kMaxDims = 8;

// dst[idx] = convert(src[idx]) for every index of `shape` (dim 0 outermost).
// Strides are in elements and may be 0 on src (broadcast). Pointers point at
// element [0, ..., 0]. Supported: any pair of f32/bf16/f16, and same-type
// copies of every type (moved as raw 1/2/4/8-byte words).
struct CopyParams {
  void* dst = nullptr;
  const void* src = nullptr;
  DataType dst_type = DataType::kF32;
  DataType src_type = DataType::kF32;
  int ndim = 0;
  int64_t shape[kMaxDims] = {};
  int64_t dst_strides[kMaxDims] = {};
  int64_t src_strides[kMaxDims] = {};
  cudaStream_t stream = nullptr;
};
bool can_copy(DataType dst, DataType src);
std::string copy_strided(const CopyParams& p);

// Fills `count` contiguous elements of `elem_bytes` (1, 2, 4, 8) with the low
// bytes of `pattern` (the caller encodes the value in the destination type).
struct FillParams {
  void* dst = nullptr;
  int64_t count = 0;
  int elem_bytes = 4;
  uint64_t pattern = 0;
  cudaStream_t stream = nullptr;
};
std::string fill(const FillParams& p);

enum class BinaryKind { kAdd, kSub, kMul };

// out = a (op) b over `shape`; out and a contiguous, b addressed by b_strides
// (0 where broadcast). All three in `dtype` (f32, bf16, f16), f32 arithmetic.
struct BinaryParams {
  void* out = nullptr;
  const void* a = nullptr;
  const void* b = nullptr;
  DataType dtype = DataType::kF32;
  BinaryKind op = BinaryKind::kAdd;
  int ndim = 0;
  int64_t shape[kMaxDims] = {};
  int64_t b_strides[kMaxDims] = {};
  cudaStream_t stream = nullptr;
};
std::string binary(const BinaryParams& p);

// Activation formulas of torch.nn.functional (GELU: erf form; GELUTanh: tanh
// approximation; QuickGELU: x * sigmoid(1.702 x)).
enum class ActivationKind { kIdentity, kReLU, kReLU6, kSiLU, kGELU, kGELUTanh, kQuickGELU };

// `count` elements, all in `dtype`:
//   gate == nullptr: out = act(x) * scale
//   gate != nullptr: out = x * act(gate) * scale
// Flat (cols == 0): every operand contiguous. Rows (cols > 0, count = rows·cols):
// out contiguous; x and gate are rows of `cols` unit-stride elements, row r at
// r·x_row_stride / r·gate_row_stride (channel halves of one tensor, read in place).
struct PointwiseParams {
  void* out = nullptr;
  const void* x = nullptr;
  const void* gate = nullptr;
  DataType dtype = DataType::kF32;
  int64_t count = 0;
  int64_t cols = 0;
  int64_t x_row_stride = 0, gate_row_stride = 0;
  ActivationKind act = ActivationKind::kIdentity;
  float scale = 1.0f;
  cudaStream_t stream = nullptr;
};
std::string pointwise(const PointwiseParams& p);

}  // namespace dc::gpu
