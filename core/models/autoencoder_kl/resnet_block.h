// diffusers resnet.py ResnetBlock2D as the AutoencoderKL decoder builds it (no
// time embedding, output_scale_factor 1, eps 1e-6): GroupNorm → act → conv3x3 →
// GroupNorm → act → conv3x3, plus the input (through a 1x1 conv_shortcut when the
// channel count changes).
#pragma once

#include <memory>

#include "core/nn/conv2d.h"
#include "core/nn/norms.h"

namespace dc::models::autoencoder_kl {

class ResnetBlock2D : public nn::Module {
 public:
  ResnetBlock2D(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels, int64_t groups,
                ops::Activation act);
  Tensor forward(const Tensor& x) const;  // [N, Cin, H, W] -> [N, Cout, H, W]

 private:
  ops::Activation act_;
  nn::GroupNorm norm1_;                        // "norm1" [Cin]
  nn::Conv2d conv1_;                           // "conv1" Cin -> Cout
  nn::GroupNorm norm2_;                        // "norm2" [Cout]
  nn::Conv2d conv2_;                           // "conv2" Cout -> Cout
  std::unique_ptr<nn::Conv2d> conv_shortcut_;  // "conv_shortcut" 1x1, when Cin != Cout
};

}  // namespace dc::models::autoencoder_kl
