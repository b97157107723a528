// The adaLN conditioning of diffusers' AdaLayerNormZero (6 chunks),
// AdaLayerNormZeroSingle (3) and AdaLayerNormContinuous (2)
// (diffusers/models/normalization.py): "linear" maps silu(temb) to `chunks`
// vectors of the model width. The LayerNorm itself (no affine, eps 1e-6) is
// fused into ops::layer_norm_modulate by the caller, who names the chunks in
// diffusers' order:
//   AdaLayerNormZero:       shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp
//   AdaLayerNormZeroSingle: shift, scale, gate
//   AdaLayerNormContinuous: scale, shift   (scale first!)
#pragma once

#include <string>
#include <vector>

#include "core/nn/linear.h"

namespace dc::models::flux {

class AdaNormModulation : public nn::Module {
 public:
  AdaNormModulation(Module* parent, std::string name, int64_t dim, int64_t chunks);
  // silu(temb) [B, C] -> `chunks` views [B, C] of linear(silu(temb)) [B, chunks·C].
  std::vector<Tensor> forward(const Tensor& silu_temb) const;

 private:
  int64_t dim_, chunks_;
  nn::Linear linear_;  // "linear"
};

}  // namespace dc::models::flux
