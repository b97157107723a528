#include "core/models/dcae/efficientvit_block.h"

#include "core/ops/elementwise.h"

namespace dc::models::dcae {

GLUMBConv::GLUMBConv(nn::Module* parent, std::string name, int64_t channels, int64_t expand_ratio)
    : Module(parent, std::move(name)),
      conv_inverted_(this, "conv_inverted",
                     {.in_channels = channels, .out_channels = 2 * expand_ratio * channels, .kernel_size = 1}),
      conv_depth_(this, "conv_depth",
                  {.in_channels = 2 * expand_ratio * channels, .out_channels = 2 * expand_ratio * channels,
                   .kernel_size = 3, .padding = 1, .groups = static_cast<int>(2 * expand_ratio * channels)}),
      conv_point_(this, "conv_point",
                  {.in_channels = expand_ratio * channels, .out_channels = channels, .kernel_size = 1, .bias = false}),
      norm_(this, "norm", channels, 1e-5f, true, true) {}

Tensor GLUMBConv::forward(const Tensor& x) const {
  Tensor h = conv_inverted_.forward(x, {}, ops::Activation::kSiLU);  // [N, 2·E·C, H, W]
  h = conv_depth_.forward(h);
  std::vector<Tensor> halves = h.chunk(2, 1);                                       // hidden, gate
  h = ops::gated_activation(halves[0], halves[1], ops::Activation::kSiLU);         // [N, E·C, H, W], in place reads
  return norm_.forward_channels(conv_point_.forward(h), x);                         // [N, C, H, W], norm + residual
}

EfficientViTBlock::EfficientViTBlock(nn::Module* parent, std::string name, int64_t channels, int64_t head_dim,
                                     const std::vector<int64_t>& qkv_multiscales, const std::string& norm_type)
    : Layer2d(parent, std::move(name)),
      attn_(this, "attn", channels, head_dim, qkv_multiscales, norm_type),
      conv_out_(this, "conv_out", channels) {}

Tensor EfficientViTBlock::forward(const Tensor& x) const { return conv_out_.forward(attn_.forward(x)); }

}  // namespace dc::models::dcae
