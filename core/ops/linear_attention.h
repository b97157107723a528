// ReLU linear attention (SANA / EfficientViT "LiteMLA"):
//   out[:, h, :, n] = (V_h · relu(K_h)ᵀ) · relu(Q_h)[:, n] / (Σ_m relu(K_h)[:, m] · relu(Q_h)[:, n] + eps)
// computed in f32. q, k, v: [B, heads, head_dim, N] -> out [B, heads, head_dim, N].
// q, k, v may be any (non-negative) strided views, read in place: channel-major
// slices of an NCHW qkv tensor, or the regrouped view of a channels-last one,
// [B, heads, 3·d, N] with strides (N·C, 3·d, 1, C), sliced along dim 2. The output
// is contiguous, except when q has unit stride along head_dim: then it is
// token-major ([B, N, heads·d] in memory, strides (N·heads·d, d, 1, heads·d)),
// which regroups without a copy into channels-last [B, heads·d, H, W]:
//   out.permute({0, 3, 1, 2}).view({B, H, W, heads·d}).permute({0, 3, 1, 2})
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

Tensor relu_linear_attention(const Tensor& q, const Tensor& k, const Tensor& v, float eps);

}  // namespace dc::ops
