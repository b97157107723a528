#include "core/models/dcae/res_block.h"

#include "core/ops/copy.h"

namespace dc::models::dcae {

ResBlock::ResBlock(nn::Module* parent, std::string name, int64_t channels, const std::string& norm_type,
                   ops::Activation act)
    : Layer2d(parent, std::move(name)),
      act_(act),
      conv1_(this, "conv1", {.in_channels = channels, .out_channels = channels, .kernel_size = 3, .padding = 1}),
      conv2_(this, "conv2",
             {.in_channels = channels, .out_channels = channels, .kernel_size = 3, .padding = 1, .bias = false}),
      norm_(this, "norm", norm_type, channels) {}

Status ResBlock::after_load(const nn::LoadOptions& options) {
  const nn::BatchNorm2d* bn = norm_.batch_norm();
  if (!bn) return {};
  return catch_errors([&] {
    const Tensor& w = conv2_.weight();  // [C, C, 3, 3]
    const Tensor scale = ops::to_device(bn->scale(), w.device()).view({w.size(0), 1, 1, 1});
    folded_weight_ = ops::cast(ops::mul(ops::cast(w, DType::kF32), scale), options.dtype);
    folded_bias_ = ops::cast(bn->shift(), options.dtype);
  });
}

Tensor ResBlock::forward(const Tensor& x) const {
  Tensor h = conv1_.forward(x, {}, act_);  // [N, C, H, W], act(conv1(x) + b)
  if (folded_weight_.defined()) {          // conv2 + batch_norm + residual as one conv
    return ops::conv2d(h, folded_weight_, folded_bias_, {.padding = 1}, x);
  }
  return norm_.forward(conv2_.forward(h), x);  // [N, C, H, W], norm + residual in one pass
}

}  // namespace dc::models::dcae
