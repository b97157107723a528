// diffusers autoencoders/vae.py Decoder (norm_type "group"): conv_in → mid block →
// up blocks (deepest width first, each with layers_per_block + 1 resnets and a
// 2x upsample but the last) → GroupNorm → SiLU → conv_out.
#pragma once

#include "core/models/autoencoder_kl/mid_block.h"
#include "core/models/autoencoder_kl/up_block.h"

namespace dc::models::autoencoder_kl {

class Decoder : public nn::Module {
 public:
  Decoder(nn::Module* parent, std::string name, const AutoencoderKLConfig& c);
  Tensor forward(const Tensor& z) const;  // [N, latent, h, w] -> [N, out_channels, h·f, w·f]
  void set_max_fused_head_dim(int64_t dim) { mid_block_.set_max_fused_head_dim(dim); }

 private:
  nn::Conv2d conv_in_;                          // "conv_in" latent -> block_out_channels[-1]
  MidBlock2D mid_block_;                        // "mid_block"
  nn::ModuleList<UpDecoderBlock2D> up_blocks_;  // "up_blocks" (run in order: deepest width first)
  nn::GroupNorm conv_norm_out_;                 // "conv_norm_out" [block_out_channels[0]]
  nn::Conv2d conv_out_;                         // "conv_out" -> out_channels
};

}  // namespace dc::models::autoencoder_kl
