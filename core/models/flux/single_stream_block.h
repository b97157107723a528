// FluxSingleTransformerBlock (diffusers transformer_flux.py): one stream over the
// joint [txt, img] sequence; attention and an MLP run in parallel on the same
// modulated input, their outputs are concatenated and projected back.
//
// diffusers 0.42 passes txt and img separately and concatenates / splits inside
// every block; the math is the same on the concatenated stream, so the model
// concatenates once before the first single block.
#pragma once

#include <string>

#include "core/models/flux/ada_norm.h"
#include "core/models/flux/attention.h"

namespace dc::models::flux {

class SingleStreamBlock : public nn::Module {
 public:
  SingleStreamBlock(Module* parent, std::string name, const FluxConfig& c);
  // x [B, T+L, C] (txt first), silu(temb) [B, C] -> [B, T+L, C].
  Tensor forward(const Tensor& x, const Tensor& silu_temb, const FluxRope& rope) const;

 private:
  AdaNormModulation norm_;  // "norm" (AdaLayerNormZeroSingle)
  nn::Linear proj_mlp_;     // "proj_mlp" C -> 4C, GELU(tanh)
  FluxSelfAttention attn_;  // "attn"
  nn::Linear proj_out_;     // "proj_out" [attn, mlp] 5C -> C
};

}  // namespace dc::models::flux
