#include "core/models/dcae/res_block.h"

namespace dc::models::dcae {

ResBlock::ResBlock(nn::Module* parent, std::string name, int64_t channels, const std::string& norm_type,
                   ops::Activation act)
    : Layer2d(parent, std::move(name)),
      act_(act),
      conv1_(this, "conv1", {.in_channels = channels, .out_channels = channels, .kernel_size = 3, .padding = 1}),
      conv2_(this, "conv2",
             {.in_channels = channels, .out_channels = channels, .kernel_size = 3, .padding = 1, .bias = false}),
      norm_(this, "norm", norm_type, channels) {}

Tensor ResBlock::forward(const Tensor& x) const {
  Tensor h = ops::activation(conv1_.forward(x), act_);  // [N, C, H, W]
  return norm_.forward(conv2_.forward(h), x);           // [N, C, H, W], norm + residual in one pass
}

}  // namespace dc::models::dcae
