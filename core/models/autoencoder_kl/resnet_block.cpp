#include "core/models/autoencoder_kl/resnet_block.h"

namespace dc::models::autoencoder_kl {

constexpr float kEps = 1e-6f;  // Decoder passes resnet_eps=1e-6 (vae.py)

ResnetBlock2D::ResnetBlock2D(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels,
                             int64_t groups, ops::Activation act)
    : Module(parent, std::move(name)),
      act_(act),
      norm1_(this, "norm1", in_channels, groups, kEps),
      conv1_(this, "conv1", {.in_channels = in_channels, .out_channels = out_channels, .kernel_size = 3, .padding = 1}),
      norm2_(this, "norm2", out_channels, groups, kEps),
      conv2_(this, "conv2",
             {.in_channels = out_channels, .out_channels = out_channels, .kernel_size = 3, .padding = 1}) {
  if (in_channels != out_channels) {
    conv_shortcut_ = std::make_unique<nn::Conv2d>(
        this, "conv_shortcut", nn::Conv2dSpec{.in_channels = in_channels, .out_channels = out_channels});
  }
}

Tensor ResnetBlock2D::forward(const Tensor& x) const {
  Tensor h = conv1_.forward(norm1_.forward(x, act_));                       // [N, Cout, H, W]
  h = norm2_.forward(h, act_);                                              // [N, Cout, H, W]
  const Tensor shortcut = conv_shortcut_ ? conv_shortcut_->forward(x) : x;  // [N, Cout, H, W]
  return conv2_.forward(h, shortcut, ops::Activation::kIdentity);           // conv2(h) + shortcut, fused
}

}  // namespace dc::models::autoencoder_kl
