// diffusers autoencoder_dc.py Encoder: conv_in, stages of blocks each ending in
// a 2x downsample, conv_out with an optional channel-averaging shortcut.
#pragma once

#include <memory>

#include "core/models/dcae/config.h"
#include "core/models/dcae/resample_blocks.h"

namespace dc::models::dcae {

class Encoder : public nn::Module {
 public:
  Encoder(nn::Module* parent, std::string name, const DCAEConfig& c);
  Tensor forward(const Tensor& x) const;  // [N, 3, H, W] -> [N, latent, H/f, W/f]

 private:
  const DCAEConfig& config_;
  std::unique_ptr<nn::Conv2d> conv_in_;                  // "conv_in" when the first stage has layers
  std::unique_ptr<DCDownBlock2d> conv_in_down_;          // "conv_in" otherwise (in-1.0 layouts)
  nn::ModuleList<nn::ModuleList<nn::Layer2d>> stages_;   // "down_blocks"
  nn::Conv2d conv_out_;                                  // "conv_out"
};

// The block of one stage (ResBlock or EfficientViTBlock), appended to `stage`.
void add_stage_block(nn::ModuleList<nn::Layer2d>& stage, BlockType type, int64_t channels, int64_t head_dim,
                     const std::vector<int64_t>& qkv_multiscales, const std::string& norm_type, ops::Activation act);

}  // namespace dc::models::dcae
