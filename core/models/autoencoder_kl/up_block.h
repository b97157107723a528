// diffusers unet_2d_blocks.py UpDecoderBlock2D (resnets, then on every block but
// the last an upsampling.py Upsample2D: nearest 2x, then a 3x3 conv).
#pragma once

#include "core/models/autoencoder_kl/resnet_block.h"

namespace dc::models::autoencoder_kl {

class Upsample2D : public nn::Module {
 public:
  Upsample2D(nn::Module* parent, std::string name, int64_t channels);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> [N, C, 2H, 2W]

 private:
  nn::Conv2d conv_;  // "conv"
};

class UpDecoderBlock2D : public nn::Module {
 public:
  // `layers` resnets: the first in_channels -> out_channels, the others out -> out.
  UpDecoderBlock2D(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels, int64_t layers,
                   int64_t groups, ops::Activation act, bool add_upsample);
  Tensor forward(const Tensor& x) const;  // [N, Cin, H, W] -> [N, Cout, 2H, 2W] (H, W without upsampler)

 private:
  nn::ModuleList<ResnetBlock2D> resnets_;  // "resnets"
  nn::ModuleList<Upsample2D> upsamplers_;  // "upsamplers" ("0" when add_upsample)
};

}  // namespace dc::models::autoencoder_kl
