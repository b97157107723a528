// Kernels for the fused transformer paths (core/ops/transformer_inplace.h,
// core/ops/timestep.h): per-head RMSNorm + RoPE written back into a strided
// qkv buffer with one norm weight per head group (q and k heads in one pass),
// an activation applied in place to rows of a column slice, and sinusoidal
// timestep features computed on the device. Arithmetic in f32; the roundings
// to the storage type are the ones diffusers performs in bf16/f16.
//
//   gpu::RmsNormRopeInplaceParams r;   // q and k heads of a fused [B, N, 7C] projection
//   r.x = y; r.weight = qk_weights /* [2, 128] */; r.groups = 2; r.cos = cos; r.sin = sin;
//   r.dtype = gpu::DataType::kBF16; r.batch = 1; r.tokens = 4608; r.heads = 48; r.head_dim = 128;
//   r.strides = {4608 * 21504, 21504, 128}; r.eps = 1e-6f; r.stream = s;
//   std::string e = gpu::rms_norm_rope_inplace(r);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu {

// x [batch, tokens, heads, head_dim] at `strides` (unit stride along head_dim),
// rewritten in place: y = round(round(x · rsqrt(mean(x²) + eps)) · w[h / (heads /
// groups)]), then with cos/sin (f32 [tokens, head_dim]) out[2i] = y[2i]·cos[2i] −
// y[2i+1]·sin[2i], out[2i+1] = y[2i+1]·cos[2i+1] + y[2i]·sin[2i+1], rounded once.
// head_dim ≤ 512 (even with RoPE); heads divisible by groups.
struct RmsNormRopeInplaceParams {
  void* x = nullptr;
  const void* weight = nullptr;  // [groups, head_dim] in dtype
  const float* cos = nullptr;    // [tokens, head_dim], or null (no rope; then sin is null too)
  const float* sin = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch = 0, tokens = 0, heads = 0, head_dim = 0, groups = 1;
  struct {
    int64_t batch = 0, token = 0, head = 0;
  } strides;
  float eps = 1e-6f;
  cudaStream_t stream = nullptr;
};
bool rms_norm_rope_inplace_can_run(const RmsNormRopeInplaceParams& p, std::string* why);
std::string rms_norm_rope_inplace(const RmsNormRopeInplaceParams& p);

// x = act(x) in place over `rows` rows of `cols` unit-stride elements, row r at
// r · row_stride (row_stride ≥ cols).
struct ActivationInplaceParams {
  void* x = nullptr;
  DataType dtype = DataType::kF32;
  int64_t rows = 0, cols = 0, row_stride = 0;
  ActivationKind act = ActivationKind::kIdentity;
  cudaStream_t stream = nullptr;
};
std::string activation_inplace(const ActivationInplaceParams& p);

// out [batch, channels] in dtype: t_b = round(round(values[b or 0]) · scale) in
// dtype, half = channels / 2, freq_i = exp((-ln(10000) · i) / half) (f32),
// out[b] = [cos(t_b · freq), sin(t_b · freq)], a zero last column when channels
// is odd. value_count is batch or 1 (broadcast).
struct TimestepEmbeddingParams {
  void* out = nullptr;
  const float* values = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch = 0, channels = 0, value_count = 0;
  float scale = 1.0f;
  cudaStream_t stream = nullptr;
};
std::string timestep_embedding(const TimestepEmbeddingParams& p);

}  // namespace dc::gpu
