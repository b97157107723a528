// FluxSingleTransformerBlock (diffusers transformer_flux.py): one stream over the
// joint [txt, img] sequence; attention and an MLP run in parallel on the same
// modulated input, their outputs are concatenated and projected back.
//
// diffusers 0.42 passes txt and img separately and concatenates / splits inside
// every block; the math is the same on the concatenated stream, which the model
// keeps in one buffer throughout.
//
// The fast path (same math): attn.to_q/to_k/to_v and proj_mlp are one C -> 7C
// GEMM (stacked weights, fused_weights.h) into y = [q, k, v, mlp]; q and k are
// normalized and rotated in place, GELU(tanh) runs in place on the MLP columns,
// the attention output overwrites v's columns (v is dead by then), so [attn, mlp]
// are adjacent columns and proj_out reads them in place at row stride 7C.
#pragma once

#include <string>
#include <vector>

#include "core/models/flux/ada_norm.h"
#include "core/models/flux/attention.h"

namespace dc::models::flux {

class SingleStreamBlock : public FusingModule {
 public:
  SingleStreamBlock(Module* parent, std::string name, const FluxConfig& c);
  std::vector<const AdaNormModulation*> modulations() const { return {&norm_}; }
  // x [B, T+L, C] (txt first) updated in place; mod: this block's [B, 3C] slice
  // of the model's batched modulation GEMM (norm's output).
  void forward(const Tensor& x, const Tensor& mod, const FluxRope& rope) const;

 protected:
  Status after_load(const nn::LoadOptions& options) override;

 private:
  int64_t inner_dim_, mlp_dim_;
  AdaNormModulation norm_;  // "norm" (AdaLayerNormZeroSingle)
  nn::Linear proj_mlp_;     // "proj_mlp" C -> 4C, GELU(tanh)
  FluxSelfAttention attn_;  // "attn"
  nn::Linear proj_out_;     // "proj_out" [attn, mlp] 5C -> C
  FusedLinear qkv_mlp_;     // [3C + 4C, C]: attn.to_q, attn.to_k, attn.to_v, proj_mlp
};

}  // namespace dc::models::flux
