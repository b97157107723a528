// diffusers unet_2d_blocks.py UNetMidBlock2D as the AutoencoderKL decoder builds
// it (num_layers 1, no time embedding): resnets.0 → attentions.0 → resnets.1,
// the attention left out when mid_block_add_attention is false.
#pragma once

#include "core/models/autoencoder_kl/attention_block.h"
#include "core/models/autoencoder_kl/config.h"
#include "core/models/autoencoder_kl/resnet_block.h"

namespace dc::models::autoencoder_kl {

class MidBlock2D : public nn::Module {
 public:
  MidBlock2D(nn::Module* parent, std::string name, const AutoencoderKLConfig& c);
  Tensor forward(const Tensor& x) const;  // [N, C_last, h, w] -> same
  void set_max_fused_head_dim(int64_t dim);

 private:
  nn::ModuleList<ResnetBlock2D> resnets_;      // "resnets" (2)
  nn::ModuleList<AttentionBlock> attentions_;  // "attentions" (1, or 0 without mid-block attention)
};

}  // namespace dc::models::autoencoder_kl
