// diffusers autoencoder_dc.py Decoder: conv_in with an optional channel-repeat
// shortcut, stages (deepest first) each starting with a 2x upsample, RMSNorm,
// activation, conv_out.
#pragma once

#include <memory>

#include "core/models/dcae/config.h"
#include "core/models/dcae/resample_blocks.h"
#include "core/nn/norms.h"

namespace dc::models::dcae {

class Decoder : public nn::Module {
 public:
  Decoder(nn::Module* parent, std::string name, const DCAEConfig& c);
  Tensor forward(const Tensor& z) const;  // [N, latent, h, w] -> [N, 3, h·f, w·f]

 private:
  const DCAEConfig& config_;
  nn::Conv2d conv_in_;                                  // "conv_in"
  nn::ModuleList<nn::ModuleList<nn::Layer2d>> stages_;  // "up_blocks" (index = stage; run deepest first)
  nn::RMSNorm norm_out_;                                // "norm_out"
  std::unique_ptr<nn::Conv2d> conv_out_;                // "conv_out" when the first stage has layers
  std::unique_ptr<DCUpBlock2d> conv_out_up_;            // "conv_out" otherwise
};

}  // namespace dc::models::dcae
