// The adaLN conditioning of diffusers' AdaLayerNormZero (6 chunks),
// AdaLayerNormZeroSingle (3) and AdaLayerNormContinuous (2)
// (diffusers/models/normalization.py): "linear" maps silu(temb) to `chunks`
// vectors of the model width. Every such linear of the model reads the same
// silu(temb), so FluxTransformer stacks them all (fused_weights.h) and runs one
// GEMM per step; each block receives its [B, chunks·C] slice of the result and
// splits it here. The LayerNorm itself (no affine, eps 1e-6) is fused into
// ops::layer_norm_modulate by the caller, who names the chunks in diffusers' order:
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
  const nn::Linear& linear() const { return linear_; }
  int64_t width() const { return chunks_ * dim_; }  // chunks·C outputs
  // This module's slice of linear(silu(temb)), [B, chunks·C] (any row stride) ->
  // `chunks` views [B, C] in diffusers' chunk order.
  std::vector<Tensor> split(const Tensor& emb) const;

 private:
  int64_t dim_, chunks_;
  nn::Linear linear_;  // "linear"
};

}  // namespace dc::models::flux
