// FLUX attention, mirroring diffusers FluxAttention + FluxAttnProcessor
// (transformer_flux.py): per-head RMSNorm on q and k ("norm_q"/"norm_k", eps 1e-6),
// RoPE on the joint sequence, softmax attention, all in the token-major
// [B, L, H, D] layout the projections produce (no transposes).
//
// Joint (double-stream) attention concatenates the text stream first:
// q = [norm_added_q(add_q_proj(txt)), norm_q(to_q(img))] along L, likewise k, v;
// the output splits back into to_add_out(txt part) and to_out.0(img part).
//
// The fast path (same math): each stream's q/k/v projections are one GEMM with
// stacked weights (fused_weights.h), written straight into the text and image
// rows of one joint [B, T+L, 3C] buffer; q and k are normalized and rotated in
// place there (both in one pass per stream), and attention reads q, k, v as
// strided views of it. No concatenation, no per-head copies.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/models/flux/config.h"
#include "core/models/flux/fused_weights.h"
#include "core/models/flux/pos_embed.h"

namespace dc::models::flux {

// torch.nn.RMSNorm(head_dim) applied per head: "weight" [D].
class QKNorm : public nn::Module {
 public:
  QKNorm(Module* parent, std::string name, int64_t head_dim);
  const nn::Parameter& weight() const { return weight_; }

 private:
  nn::Parameter weight_;  // "weight"
};

// The attention of a FluxSingleTransformerBlock (pre_only: no output projection).
// Its to_q/to_k/to_v are fused by the block, together with proj_mlp.
class FluxSelfAttention : public FusingModule {
 public:
  FluxSelfAttention(Module* parent, std::string name, const FluxConfig& c);
  // The projections in the order the block's fused weight stacks them.
  std::vector<const nn::Linear*> projections() const { return {&to_q_, &to_k_, &to_v_}; }
  // qkv [B, N, ≥ 3C] (a view; columns [0, C) q, [C, 2C) k, [2C, 3C) v of the joint
  // [txt, img] sequence): normalizes and rotates q and k in place -> [B, N, C].
  Tensor forward(const Tensor& qkv, const FluxRope& rope) const;

 protected:
  Status after_load(const nn::LoadOptions& options) override;

 private:
  int64_t heads_, head_dim_;
  QKNorm norm_q_;    // "norm_q"
  QKNorm norm_k_;    // "norm_k"
  nn::Linear to_q_;  // "to_q"
  nn::Linear to_k_;  // "to_k"
  nn::Linear to_v_;  // "to_v"
  Tensor qk_norm_;   // [2, D]: norm_q, norm_k weights (their parameters point here)
};

// The attention of a FluxTransformerBlock (added_kv_proj_dim = dim, context_pre_only False).
class FluxJointAttention : public FusingModule {
 public:
  FluxJointAttention(Module* parent, std::string name, const FluxConfig& c);
  // img [B, L, C], txt [B, T, C] -> {img_out [B, L, C], txt_out [B, T, C]}.
  std::pair<Tensor, Tensor> forward(const Tensor& img, const Tensor& txt, const FluxRope& rope) const;

 protected:
  Status after_load(const nn::LoadOptions& options) override;

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
  FusedLinear img_qkv_;    // [3C, C]: to_q, to_k, to_v
  FusedLinear txt_qkv_;    // [3C, C]: add_q_proj, add_k_proj, add_v_proj
  Tensor img_qk_norm_;     // [2, D]: norm_q, norm_k
  Tensor txt_qk_norm_;     // [2, D]: norm_added_q, norm_added_k
};

}  // namespace dc::models::flux
