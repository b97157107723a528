// In-place forms of transformer ops, for buffers a fused projection wrote: the
// q/k columns of a qkv buffer normalized and rotated where they lie, an
// activation applied to its MLP columns, the gated residual added into the
// residual stream. Each keeps the rounding of its out-of-place twin (rope.h,
// elementwise.h, modulation.h), so the results are the same numbers.
//
//   Tensor y = ops::linear(h, w_qkv_mlp, b_qkv_mlp);                      // [B, N, 7C]
//   ops::rms_norm_rope_(y.slice(2, 0, 2 * C).unflatten(2, {2 * H, D}),   // q and k heads
//                       qk_weights /* [2, D]: norm_q, norm_k */, 1e-6f, cos, sin);
//   ops::activation_(y.slice(2, 3 * C, 7 * C), ops::Activation::kGELUTanh);
//   ops::gated_residual_(x, gate, proj);                                  // x += gate ⊙ proj
#pragma once

#include "core/ops/elementwise.h"
#include "core/tensor/tensor.h"

namespace dc::ops {

// rms_norm_rope() written back into x [B, L, H, D] (unit stride along D, any
// other non-negative strides, heads not overlapping). weight [G, D] (or [D],
// G = 1) with H divisible by G: head h is normalized with row h / (H / G), so
// q and k heads of one buffer take their own norms in one pass. cos/sin: f32
// [L, D] tables or both undefined (norm only).
void rms_norm_rope_(const Tensor& x, const Tensor& weight, float eps, const Tensor& cos, const Tensor& sin);

// x = act(x), rounded once, for x [..., C] with unit stride along C (rows of a
// column slice of a wider buffer).
void activation_(const Tensor& x, Activation act);

// x = x + gate ⊙ y as gated_residual(), in place: x [B, L, C] with each sample
// contiguous (a slice of tokens of a joint buffer is fine), gate [B, C] (or
// [1, C]) with unit stride along C, y [B, L, C] with unit stride along C.
void gated_residual_(const Tensor& x, const Tensor& gate, const Tensor& y);

}  // namespace dc::ops
