#include "core/models/autoencoder_kl/up_block.h"

#include "core/ops/resample.h"

namespace dc::models::autoencoder_kl {

Upsample2D::Upsample2D(nn::Module* parent, std::string name, int64_t channels)
    : Module(parent, std::move(name)),
      conv_(this, "conv", {.in_channels = channels, .out_channels = channels, .kernel_size = 3, .padding = 1}) {}

Tensor Upsample2D::forward(const Tensor& x) const {
  return conv_.forward(ops::upsample_nearest2d(x, 2));  // F.interpolate(scale_factor=2.0, mode="nearest"), conv
}

UpDecoderBlock2D::UpDecoderBlock2D(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels,
                                   int64_t layers, int64_t groups, ops::Activation act, bool add_upsample)
    : Module(parent, std::move(name)), resnets_(this, "resnets"), upsamplers_(this, "upsamplers") {
  for (int64_t i = 0; i < layers; ++i) resnets_.emplace(i == 0 ? in_channels : out_channels, out_channels, groups, act);
  if (add_upsample) upsamplers_.emplace(out_channels);
}

Tensor UpDecoderBlock2D::forward(const Tensor& x) const {
  Tensor h = x;
  for (const auto& resnet : resnets_) h = resnet->forward(h);  // [N, Cout, H, W]
  for (const auto& up : upsamplers_) h = up->forward(h);       // [N, Cout, 2H, 2W]
  return h;
}

}  // namespace dc::models::autoencoder_kl
