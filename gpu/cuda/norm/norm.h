// Normalizations with f32 statistics: row norms over the last dim (RMSNorm,
// LayerNorm; also the channel norm of NHWC data, whose rows are pixels), RMSNorm
// over the channels of [N, C, HW], and the per-channel affine of a folded
// inference BatchNorm. Each may end in a fused epilogue applied before the one
// store: y = act(normalized) + residual (residual laid out like out).
//
//   gpu::RowNormParams r;
//   r.out = y; r.x = x; r.weight = w; r.bias = nullptr; r.dtype = gpu::DataType::kBF16;
//   r.rows = tokens; r.cols = C; r.eps = 1e-6f; r.kind = gpu::RowNormKind::kRms; r.stream = s;
//   std::string e = gpu::row_norm(r);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu {

enum class RowNormKind {
  kRms,    // y = x / sqrt(mean(x²) + eps) * w + b
  kLayer,  // y = (x - mean) / sqrt(var + eps) * w + b   (biased variance)
};

// x, out, residual [rows, cols] contiguous; weight/bias [cols]; null for none; all in dtype.
struct RowNormParams {
  void* out = nullptr;
  const void* x = nullptr;
  const void* weight = nullptr;
  const void* bias = nullptr;
  const void* residual = nullptr;
  DataType dtype = DataType::kF32;
  int64_t rows = 0, cols = 0;
  float eps = 1e-6f;
  RowNormKind kind = RowNormKind::kRms;
  ActivationKind act = ActivationKind::kIdentity;
  cudaStream_t stream = nullptr;
};
std::string row_norm(const RowNormParams& p);

// x, out, residual [n, c, hw] contiguous: RMS-normalized over c for every (n, pixel).
struct ChannelRmsNormParams {
  void* out = nullptr;
  const void* x = nullptr;
  const void* weight = nullptr;    // [c] or null
  const void* bias = nullptr;      // [c] or null
  const void* residual = nullptr;  // like out, or null
  DataType dtype = DataType::kF32;
  int64_t n = 0, c = 0, hw = 0;
  float eps = 1e-6f;
  ActivationKind act = ActivationKind::kIdentity;
  cudaStream_t stream = nullptr;
};
std::string channel_rms_norm(const ChannelRmsNormParams& p);

// out = x * scale[c] + shift[c] (+ residual) on [n, c, hw], or on [n, hw, c]
// when channels_last; scale/shift are f32 [c]; residual laid out like out, or null.
struct ChannelAffineParams {
  void* out = nullptr;
  const void* x = nullptr;
  const float* scale = nullptr;
  const float* shift = nullptr;
  const void* residual = nullptr;
  DataType dtype = DataType::kF32;
  int64_t n = 0, c = 0, hw = 0;
  bool channels_last = false;
  cudaStream_t stream = nullptr;
};
std::string channel_affine(const ChannelAffineParams& p);

}  // namespace dc::gpu
