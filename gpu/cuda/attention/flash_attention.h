// Dense softmax attention (scaled_dot_product_attention) over token-major
// operands: q [B, Lq, H, D], k and v [B, Lk, H, D], addressed through their
// batch / token / head strides (unit stride along D), out contiguous
// [B, Lq, H, D]. Scores, softmax and accumulation in f32 with an online
// softmax (no [Lq, Lk] matrix is stored). Optional: causal masking (key j > query
// i ignored), an additive f32 bias read through four strides (0 = broadcast)
// and a u8 key mask [B, Lk] (0 = ignored). A query with no attendable key
// (or only -inf scores) gets a zero output.
//
// Paths: bf16/f16 with D a multiple of 8 up to 256, 16-byte aligned operands
// and strides that are multiples of 8 elements run the tensor-core kernel
// (flash_attention_kernel.cuh: mma.sync m16n8k16, FA2 tiling; D = 64 and 128
// specialized, other D in zero-padded buckets of 32, 96, 192, 256);
// probabilities are rounded to the input type before the P·V product, as flash
// attention does. f32 and everything else use a warp-per-query-row kernel
// (attention_rows_kernel.cuh, probabilities in f32).
//
//   gpu::AttentionParams a;
//   a.out = o; a.q = q; a.k = k; a.v = v; a.dtype = gpu::DataType::kBF16;
//   a.batch = 1; a.heads = 24; a.q_len = a.kv_len = 4608; a.head_dim = 128;
//   a.q_strides = a.k_strides = a.v_strides = gpu::TokenMajorStrides::contiguous(24, 128);
//   a.scale = 1 / sqrtf(128); a.stream = s;
//   std::string e = gpu::flash_attention(a);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

// Element strides of a [batch, tokens, heads, head_dim] operand with unit stride along head_dim.
struct TokenMajorStrides {
  int64_t batch = 0, token = 0, head = 0;
  static TokenMajorStrides contiguous(int64_t tokens, int64_t heads, int64_t head_dim) {
    return {tokens * heads * head_dim, heads * head_dim, head_dim};
  }
};

struct AttentionParams {
  void* out = nullptr;  // [batch, q_len, heads, head_dim] contiguous, dtype
  const void* q = nullptr;
  const void* k = nullptr;
  const void* v = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch = 0, heads = 0, q_len = 0, kv_len = 0, head_dim = 0;
  TokenMajorStrides q_strides, k_strides, v_strides;
  float scale = 1.0f;
  bool causal = false;  // requires q_len == kv_len
  const float* bias = nullptr;  // f32 [batch, heads, q_len, kv_len] at bias_strides, or null
  int64_t bias_strides[4] = {0, 0, 0, 0};
  const uint8_t* key_mask = nullptr;  // [batch, kv_len] contiguous, or null
  cudaStream_t stream = nullptr;
};

// False (with the reason) when no kernel covers the request (e.g. D > 256 in f32).
bool flash_attention_can_run(const AttentionParams& p, std::string* why);
std::string flash_attention(const AttentionParams& p);

}  // namespace dc::gpu
