// diffusers autoencoder_dc.py ResBlock: conv3x3 → act → conv3x3 (no bias) → norm, + residual
// (norm and residual fused). Any layout in, the same layout out.
#pragma once

#include "core/nn/conv2d.h"
#include "core/nn/norms.h"
#include "core/ops/elementwise.h"

namespace dc::models::dcae {

class ResBlock : public nn::Layer2d {
 public:
  ResBlock(nn::Module* parent, std::string name, int64_t channels, const std::string& norm_type,
           ops::Activation act);
  Tensor forward(const Tensor& x) const override;  // [N, C, H, W] -> same

 protected:
  // With batch_norm, folds the (inference) norm into conv2: W'[o] = W[o]·scale[o],
  // bias' = shift, so conv2 + norm + residual become one convolution.
  Status after_load(const nn::LoadOptions& options) override;

 private:
  ops::Activation act_;
  nn::Conv2d conv1_;     // "conv1"
  nn::Conv2d conv2_;     // "conv2"
  nn::ChannelNorm norm_; // "norm"
  Tensor folded_weight_, folded_bias_;  // conv2 with batch_norm folded in (batch_norm only)
};

}  // namespace dc::models::dcae
