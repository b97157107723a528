// FLUX attention, mirroring diffusers FluxAttention + FluxAttnProcessor
// (transformer_flux.py): per-head RMSNorm on q and k ("norm_q"/"norm_k", eps 1e-6),
// RoPE on the joint sequence, softmax attention, all in the token-major
// [B, L, H, D] layout the projections produce (no transposes).
//
// Joint (double-stream) attention concatenates the text stream first:
// q = [norm_added_q(add_q_proj(txt)), norm_q(to_q(img))] along L, likewise k, v;
// the output splits back into to_add_out(txt part) and to_out.0(img part).
#pragma once

#include <string>
#include <utility>

#include "core/models/flux/config.h"
#include "core/models/flux/pos_embed.h"
#include "core/nn/linear.h"

namespace dc::models::flux {

// torch.nn.RMSNorm(head_dim) applied per head: "weight" [D].
class QKNorm : public nn::Module {
 public:
  QKNorm(Module* parent, std::string name, int64_t head_dim);
  // rms_norm over D then RoPE with cos/sin [L, D]: x [B, L, H, D] view -> contiguous [B, L, H, D].
  Tensor forward(const Tensor& x, const Tensor& cos, const Tensor& sin) const;

 private:
  nn::Parameter weight_;  // "weight"
};

// q/k/v of one stream: three projections and the two QK norms.
struct QKV {
  Tensor q, k, v;  // [B, L, H, D]; q and k normalized and rotated (contiguous), v a view
};

// The attention of a FluxSingleTransformerBlock (pre_only: no output projection).
class FluxSelfAttention : public nn::Module {
 public:
  FluxSelfAttention(Module* parent, std::string name, const FluxConfig& c);
  // x [B, N, C] over the joint [txt, img] sequence, rope rows for all N -> [B, N, C].
  Tensor forward(const Tensor& x, const FluxRope& rope) const;

 private:
  int64_t heads_, head_dim_;
  QKNorm norm_q_;    // "norm_q"
  QKNorm norm_k_;    // "norm_k"
  nn::Linear to_q_;  // "to_q"
  nn::Linear to_k_;  // "to_k"
  nn::Linear to_v_;  // "to_v"
};

// The attention of a FluxTransformerBlock (added_kv_proj_dim = dim, context_pre_only False).
class FluxJointAttention : public nn::Module {
 public:
  FluxJointAttention(Module* parent, std::string name, const FluxConfig& c);
  // img [B, L, C], txt [B, T, C] -> {img_out [B, L, C], txt_out [B, T, C]}.
  std::pair<Tensor, Tensor> forward(const Tensor& img, const Tensor& txt, const FluxRope& rope) const;

 private:
  int64_t heads_, head_dim_;
  QKNorm norm_q_;          // "norm_q"
  QKNorm norm_k_;          // "norm_k"
  nn::Linear to_q_;        // "to_q"
  nn::Linear to_k_;        // "to_k"
  nn::Linear to_v_;        // "to_v"
  nn::Linear to_out_;      // "to_out.0" (to_out.1 is dropout)
  QKNorm norm_added_q_;    // "norm_added_q"
  QKNorm norm_added_k_;    // "norm_added_k"
  nn::Linear add_q_proj_;  // "add_q_proj"
  nn::Linear add_k_proj_;  // "add_k_proj"
  nn::Linear add_v_proj_;  // "add_v_proj"
  nn::Linear to_add_out_;  // "to_add_out"
};

}  // namespace dc::models::flux
