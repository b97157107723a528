// ReLU linear attention (SANA / EfficientViT "LiteMLA"):
//   out[:, h, :, n] = (V_h · relu(K_h)ᵀ) · relu(Q_h)[:, n] / (Σ_m relu(K_h)[:, m] · relu(Q_h)[:, n] + eps)
// computed in f32. q, k, v: [B, heads, head_dim, N] -> out [B, heads, head_dim, N]
// (channel-major, the layout of the conv-projected DC-AE features).
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

Tensor relu_linear_attention(const Tensor& q, const Tensor& k, const Tensor& v, float eps);

}  // namespace dc::ops
