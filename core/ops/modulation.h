// adaLN modulation of DiT blocks (diffusers AdaLayerNormZero / AdaLayerNormContinuous).
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

// layer_norm(x) without affine, then · (1 + scale) + shift, in one pass:
//   x [B, L, C]; scale, shift [B, C] (any strides: chunks of the modulation
//   vector). Statistics in f32; the normalized value is rounded to x's dtype
//   before modulating, matching diffusers' two-op bf16 result.
Tensor layer_norm_modulate(const Tensor& x, const Tensor& scale, const Tensor& shift, float eps);

// x + gate ⊙ y with gate [B, C] broadcast over L: x, y [B, L, C] (y any strides).
Tensor gated_residual(const Tensor& x, const Tensor& gate, const Tensor& y);

}  // namespace dc::ops
