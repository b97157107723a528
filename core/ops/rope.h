// Rotary position embedding on interleaved pairs, as diffusers' apply_rotary_emb
// with use_real_unbind_dim=-1 (FLUX): for each pair (x[2i], x[2i+1]) of the head dim
//   out[2i]   = x[2i]   · cos[l, 2i]   − x[2i+1] · sin[l, 2i]
//   out[2i+1] = x[2i+1] · cos[l, 2i+1] + x[2i]   · sin[l, 2i+1]
// computed in f32 and rounded once. cos/sin are f32 [L, D] (diffusers'
// repeat-interleaved tables), on x's device.
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

// x [B, L, H, D] (any strides with unit stride along D) -> contiguous [B, L, H, D].
Tensor rope(const Tensor& x, const Tensor& cos, const Tensor& sin);

// FLUX's per-head QK normalization fused with RoPE: diffusers RMSNorm over D
// (statistics in f32; the normalized value is rounded to x's dtype before the
// weight multiply, as diffusers does for bf16/f16 weights), then rope() when
// cos/sin are defined. weight [D]. x [B, L, H, D] strided as above.
Tensor rms_norm_rope(const Tensor& x, const Tensor& weight, float eps, const Tensor& cos, const Tensor& sin);

}  // namespace dc::ops
