// Dense softmax attention (torch.nn.functional.scaled_dot_product_attention) in
// the token-major layout a fused QKV projection produces, so no transposes:
//   q [B, Lq, H, D], k and v [B, Lk, H, D] -> out [B, Lq, H, D] (contiguous, q's dtype),
//   out[b, i, h] = Σ_j softmax_j(scale · q[b,i,h]·k[b,j,h] + bias[b,h,i,j]) · v[b,j,h].
// q, k, v may be any strided views with unit stride along D (e.g. slices of a
// [B, L, 3, H, D] projection). Scores and softmax are computed in f32; the
// probabilities are rounded to the activation dtype before the P·V product on
// the CUDA path (as flash attention does), the CPU reference keeps f32.
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

struct AttentionOptions {
  float scale = 0.0f;  // 0 means 1/sqrt(D); T5 uses 1
  bool causal = false; // key j > query i is ignored (CLIP's causal mask; requires Lq == Lk)
  // Optional additive f32 bias broadcastable to [B, H, Lq, Lk] (T5's relative
  // position bias, [1, H, Lq, Lk]).
  Tensor bias;
  // Optional [B, Lk] mask (bool, u8 or integer): 0 = padding key, ignored.
  // A query whose keys are all ignored gets a zero output.
  Tensor key_mask;
};

Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v, const AttentionOptions& options = {});

}  // namespace dc::ops
