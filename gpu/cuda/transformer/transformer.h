// Pointwise and row-wise kernels of transformer blocks, each a single pass over
// its tokens: embedding gather, per-head RMSNorm fused with interleaved-pair
// RoPE (FLUX QK norm), LayerNorm fused with adaLN modulation, and the gated
// residual. Statistics and arithmetic in f32; intermediate roundings to the
// storage type are the ones diffusers performs in bf16/f16 (see each struct).
//
//   gpu::RmsNormRopeParams r;
//   r.out = q_out; r.x = q; r.weight = norm_q_w; r.cos = cos; r.sin = sin; r.dtype = gpu::DataType::kBF16;
//   r.batch = 1; r.tokens = 4608; r.heads = 24; r.head_dim = 128;
//   r.x_strides = {4608 * 9216, 9216, 128};  // q as a view of a fused qkv projection
//   r.eps = 1e-6f; r.stream = s;
//   std::string e = gpu::rms_norm_rope(r);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

// out[i, :] = table[ids[i], :] (bytes copied; ids already validated to [0, vocab)).
struct EmbeddingParams {
  void* out = nullptr;          // [count, row_bytes] contiguous
  const void* table = nullptr;  // [vocab, row_bytes] contiguous
  const int64_t* ids = nullptr; // [count]
  int64_t count = 0, row_bytes = 0;
  cudaStream_t stream = nullptr;
};
std::string embedding_gather(const EmbeddingParams& p);

// x [batch, tokens, heads, head_dim] at x_strides (unit stride along head_dim),
// out contiguous. With a weight: y = round(round(x · rsqrt(mean(x²) + eps)) · w)
// (diffusers RMSNorm in bf16); without, y = x. With cos/sin (f32 [tokens,
// head_dim]): out[2i] = y[2i]·cos[2i] − y[2i+1]·sin[2i], out[2i+1] =
// y[2i+1]·cos[2i+1] + y[2i]·sin[2i+1] in f32, rounded once. head_dim ≤ 512.
struct RmsNormRopeParams {
  void* out = nullptr;
  const void* x = nullptr;
  const void* weight = nullptr;  // [head_dim] in dtype, or null (no norm)
  const float* cos = nullptr;    // [tokens, head_dim], or null (no rope; then sin is null too)
  const float* sin = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch = 0, tokens = 0, heads = 0, head_dim = 0;
  struct {
    int64_t batch = 0, token = 0, head = 0;
  } x_strides;
  float eps = 1e-6f;
  cudaStream_t stream = nullptr;
};
bool rms_norm_rope_can_run(const RmsNormRopeParams& p, std::string* why);
std::string rms_norm_rope(const RmsNormRopeParams& p);

// out = round(layer_norm(x)) · (1 + scale[b]) + shift[b] over x, out [batch,
// tokens, channels] contiguous; scale/shift rows of `channels` elements in dtype,
// row b at b · *_row_stride (0 = one row for every sample). channels ≤ 8192.
struct LayerNormModulateParams {
  void* out = nullptr;
  const void* x = nullptr;
  const void* scale = nullptr;
  const void* shift = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch = 0, tokens = 0, channels = 0;
  int64_t scale_row_stride = 0, shift_row_stride = 0;
  float eps = 1e-6f;
  cudaStream_t stream = nullptr;
};
bool layer_norm_modulate_can_run(const LayerNormModulateParams& p, std::string* why);
std::string layer_norm_modulate(const LayerNormModulateParams& p);

// out = x + gate[b] ⊙ y in f32, rounded once; x, out [batch, tokens, channels]
// contiguous; y at (batch, token) strides with unit stride along channels; gate
// rows at gate_row_stride.
struct GatedResidualParams {
  void* out = nullptr;
  const void* x = nullptr;
  const void* gate = nullptr;
  const void* y = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch = 0, tokens = 0, channels = 0;
  int64_t gate_row_stride = 0, y_batch_stride = 0, y_token_stride = 0;
  cudaStream_t stream = nullptr;
};
std::string gated_residual(const GatedResidualParams& p);

}  // namespace dc::gpu
