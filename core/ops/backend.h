// The backend contract (private to core/ops). Front-end functions in
// core/ops/<family>.cpp validate arguments, make inputs contiguous and of one
// dtype, allocate `out`, then call the same-named function of the CPU
// reference (core/ops/cpu, the specification) or the CUDA backend
// (core/ops/cuda → gpu/cuda kernels). Backends may assume: every tensor is
// contiguous, on the op's device, and in the activation dtype unless noted.
// "Dense" below means contiguous or channels-last (4-D NHWC memory); where an
// op takes dense operands they share one layout, the one the front-end chose
// for the output (detail::is_nhwc(x) tells which).
#pragma once

#include <cstdint>

#include "core/ops/conv.h"
#include "core/ops/elementwise.h"
#include "core/tensor/tensor.h"

namespace dc::ops {

enum class BinaryOp { kAdd, kSub, kMul };

// Declares one function in both namespaces so the two stay in sync.
#define DC_OPS_BACKEND_DECLS                                                                              \
  /* dst = src, same shape; both any strides (src may broadcast with stride 0), any dtypes. */     \
  void copy_strided(const Tensor& dst, const Tensor& src);                                              \
  void fill(const Tensor& dst, float value);                                                            \
  /* out = a op b where b is broadcast to a's shape via its strides (b may be non-contiguous). */       \
  /* (Channels-last operands arrive permuted to memory order, so out and a are contiguous.) */          \
  void binary(const Tensor& out, const Tensor& a, const Tensor& b, BinaryOp op);                        \
  void scale(const Tensor& out, const Tensor& a, float s);                                              \
  void activation(const Tensor& out, const Tensor& x, Activation act);                                  \
  /* out contiguous; hidden and gate share strides and are row views (detail::row_view). */            \
  void gated_activation(const Tensor& out, const Tensor& hidden, const Tensor& gate, Activation act);     \
  /* out[b] = a[b] · bm[b or 0]; a [B, M, K], bm [B or 1, K, N], out [B, M, N] */                        \
  void matmul(const Tensor& out, const Tensor& a, const Tensor& bm);                                    \
  /* out [M, N] = x [M, K] · w[N, K]ᵀ + bias[N] (bias may be undefined) */                               \
  void linear(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias);                  \
  /* x, out (and residual, optional) share one layout: contiguous NCHW or channels-last NHWC; */       \
  /* w contiguous [Cout, Cin/g, kh, kw]. out = conv(x, w) + bias + residual. */                          \
  void conv2d(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,                  \
              const Tensor& residual, const Conv2dOptions& opt);                                        \
  /* x [rows, C]; weight/bias [C] or undefined; statistics in f32 */                                     \
  void rms_norm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps);       \
  void layer_norm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps);     \
  /* dense x, out, residual (optional) [N, C, ...]: out = act(rms over C of x · w + b) + residual */     \
  void rms_norm_channels(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b,           \
                         const Tensor& residual, float eps, Activation act);                            \
  /* dense x, out, residual (optional): out = x * scale[c] + shift[c] + residual (f32 scale/shift) */    \
  void channel_affine(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift,     \
                      const Tensor& residual);                                                          \
  /* resample family: dense 4-D x and out (and shortcut, optional) of one layout */                     \
  void pixel_shuffle(const Tensor& out, const Tensor& x, int factor, const Tensor& shortcut);            \
  /* out = h + pixel_shuffle(repeat_interleave_channels(shortcut, C·f²/Cs), f); all dense, one layout */ \
  void add_shuffled_shortcut(const Tensor& out, const Tensor& h, const Tensor& shortcut, int factor);    \
  void pixel_unshuffle(const Tensor& out, const Tensor& x, int factor);                                 \
  void upsample_nearest2d(const Tensor& out, const Tensor& x, int factor);                              \
  void channel_group_mean(const Tensor& out, const Tensor& x, int64_t group);                           \
  void repeat_interleave_channels(const Tensor& out, const Tensor& x, int64_t repeats);                 \
  /* q, k, v, out [B, H, d, N] with any strides (views of one qkv tensor, either layout) */            \
  void relu_linear_attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v,      \
                             float eps);                                                                \
  /* Philox stream: element i of out from (seed, i); normal or uniform [0,1) */                          \
  void random(const Tensor& out, uint64_t seed, bool normal);                                          \
  /* q [B,Lq,H,D], k/v [B,Lk,H,D] strided, unit stride on D; out contiguous [B,Lq,H,D]; bias f32 */     \
  /* [B,H,Lq,Lk] possibly with 0 strides or undefined; key_mask u8 [B,Lk] contiguous or undefined */    \
  void attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v, float scale,      \
                 bool causal, const Tensor& bias, const Tensor& key_mask);                               \
  /* table [V, D] contiguous; ids i64 contiguous (validated); out [n_ids, D] */                          \
  void embedding(const Tensor& out, const Tensor& table, const Tensor& ids);                             \
  /* x [B,L,H,D] strided (unit stride on D); out contiguous; weight [D] or undefined (no norm); */       \
  /* cos/sin f32 [L, D] contiguous or undefined (no rope) */                                              \
  void rms_norm_rope(const Tensor& out, const Tensor& x, const Tensor& weight, float eps,                 \
                     const Tensor& cos, const Tensor& sin);                                              \
  /* x, out contiguous [B,L,C]; scale/shift [B,C] with unit stride on C */                               \
  void layer_norm_modulate(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift,  \
                           float eps);                                                                   \
  /* out, x contiguous [B,L,C]; y [B,L,C] unit stride on C; gate [B,C] unit stride on C */               \
  void gated_residual(const Tensor& out, const Tensor& x, const Tensor& gate, const Tensor& y);          \
  /* fused_linear.h: out [..., N], x [..., K] each rows at one stride (detail::uniform_rows); */          \
  /* w [N, K], bias [N] or undefined, as linear */                                                        \
  void linear_rows(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias);             \
  /* transformer_inplace.h: in place on x [B,L,H,D] strided (unit stride on D); weight [G, D], */        \
  /* head h uses row h / (H / G); cos/sin f32 [L, D] contiguous or undefined (no rope) */                 \
  void rms_norm_rope_inplace(const Tensor& x, const Tensor& weight, float eps, const Tensor& cos,        \
                             const Tensor& sin);                                                        \
  /* in place on x [..., C] whose rows sit at one stride (detail::uniform_rows) */                        \
  void activation_inplace(const Tensor& x, Activation act);                                             \
  /* timestep.h: out [B, C] in the rounding dtype; values f32 [B] or [1] contiguous */                    \
  void timestep_embedding(const Tensor& out, const Tensor& values, float scale);

namespace cpu {
DC_OPS_BACKEND_DECLS
}  // namespace cpu

namespace cuda {
DC_OPS_BACKEND_DECLS
}  // namespace cuda

#undef DC_OPS_BACKEND_DECLS

[[noreturn]] void throw_cuda_not_compiled(const char* op);

}  // namespace dc::ops

// DC_OPS_DISPATCH(device, fn, args...): the one place that picks a backend.
#ifdef DC_HAVE_CUDA
#define DC_OPS_DISPATCH(device, fn, ...) \
  ((device).is_cuda() ? ::dc::ops::cuda::fn(__VA_ARGS__) : ::dc::ops::cpu::fn(__VA_ARGS__))
#else
#define DC_OPS_DISPATCH(device, fn, ...) \
  ((device).is_cuda() ? ::dc::ops::throw_cuda_not_compiled(#fn) : ::dc::ops::cpu::fn(__VA_ARGS__))
#endif
