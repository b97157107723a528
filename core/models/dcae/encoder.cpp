#include "core/models/dcae/encoder.h"

#include "core/models/dcae/efficientvit_block.h"
#include "core/models/dcae/res_block.h"
#include "core/ops/elementwise.h"
#include "core/ops/resample.h"

namespace dc::models::dcae {

void add_stage_block(nn::ModuleList<nn::Layer2d>& stage, BlockType type, int64_t channels, int64_t head_dim,
                     const std::vector<int64_t>& qkv_multiscales, const std::string& norm_type, ops::Activation act) {
  if (type == BlockType::kResBlock) {
    stage.emplace<ResBlock>(channels, norm_type, act);
  } else {
    stage.emplace<EfficientViTBlock>(channels, head_dim, qkv_multiscales, norm_type);
  }
}

Encoder::Encoder(nn::Module* parent, std::string name, const DCAEConfig& c)
    : Module(parent, std::move(name)),
      config_(c),
      stages_(this, "down_blocks"),
      conv_out_(this, "conv_out",
                {.in_channels = c.encoder_block_out_channels.back(), .out_channels = c.latent_channels,
                 .kernel_size = 3, .padding = 1}) {
  const auto& channels = c.encoder_block_out_channels;
  const auto& layers = c.encoder_layers_per_block;
  const bool unshuffle = c.downsample_block_type == "pixel_unshuffle";
  if (layers[0] > 0) {
    conv_in_ = std::make_unique<nn::Conv2d>(
        this, "conv_in",
        nn::Conv2dSpec{.in_channels = c.in_channels, .out_channels = channels[0], .kernel_size = 3, .padding = 1});
  } else {
    conv_in_down_ = std::make_unique<DCDownBlock2d>(this, "conv_in", c.in_channels, channels[1], unshuffle, false);
  }
  const size_t stages = channels.size();
  for (size_t i = 0; i < stages; ++i) {
    auto& stage = stages_.emplace();
    for (int64_t l = 0; l < layers[i]; ++l)
      add_stage_block(stage, c.encoder_block_types[i], channels[i], c.attention_head_dim,
                      c.encoder_qkv_multiscales[i], "rms_norm", ops::Activation::kSiLU);
    if (i + 1 < stages && layers[i] > 0)
      stage.emplace<DCDownBlock2d>(channels[i], channels[i + 1], unshuffle, true);
  }
}

Tensor Encoder::forward(const Tensor& x) const {
  Tensor h = conv_in_ ? conv_in_->forward(x) : conv_in_down_->forward(x);
  for (const auto& stage : stages_) h = nn::run_sequential(*stage, h);
  Tensor out = conv_out_.forward(h);  // [N, latent, h, w]
  if (!config_.encoder_out_shortcut) return out;
  const int64_t group = config_.encoder_block_out_channels.back() / config_.latent_channels;
  return ops::add(out, ops::channel_group_mean(h, group));
}

}  // namespace dc::models::dcae
