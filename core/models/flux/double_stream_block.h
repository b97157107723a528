// FluxTransformerBlock (diffusers transformer_flux.py): the double-stream MMDiT
// block. Image and text streams keep separate weights (norm1 / norm1_context,
// ff / ff_context, ...) and meet in one joint attention. The block updates both
// residual streams in place (they are the image and text rows of the model's
// joint [B, T+L, C] buffer), so nothing is concatenated before the single blocks.
#pragma once

#include <string>
#include <vector>

#include "core/models/flux/ada_norm.h"
#include "core/models/flux/attention.h"

namespace dc::models::flux {

// diffusers FeedForward(dim, activation_fn="gelu-approximate"): net.0.proj -> GELU(tanh) -> net.2.
class FeedForward : public nn::Module {
 public:
  FeedForward(Module* parent, std::string name, int64_t dim, int64_t inner_dim);
  Tensor forward(const Tensor& x) const;  // [B, L, C] -> [B, L, C]

 private:
  nn::Linear proj_in_;   // "net.0.proj"
  nn::Linear proj_out_;  // "net.2" (net.1 is dropout)
};

class DoubleStreamBlock : public nn::Module {
 public:
  DoubleStreamBlock(Module* parent, std::string name, const FluxConfig& c);
  // The adaLN linears in the order forward() takes their outputs: norm1, norm1_context.
  std::vector<const AdaNormModulation*> modulations() const { return {&norm1_, &norm1_context_}; }
  // img [B, L, C] and txt [B, T, C] (views, each sample contiguous) are updated in
  // place; mod_img / mod_txt: this block's [B, 6C] slices of the model's batched
  // modulation GEMM (norm1's and norm1_context's outputs).
  void forward(const Tensor& img, const Tensor& txt, const Tensor& mod_img, const Tensor& mod_txt,
               const FluxRope& rope) const;

 private:
  AdaNormModulation norm1_;          // "norm1" (AdaLayerNormZero)
  AdaNormModulation norm1_context_;  // "norm1_context"
  FluxJointAttention attn_;          // "attn"
  FeedForward ff_;                   // "ff" (after norm2: LayerNorm without affine)
  FeedForward ff_context_;           // "ff_context" (after norm2_context)
};

}  // namespace dc::models::flux
