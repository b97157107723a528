#include "core/models/dcae/decoder.h"

#include <algorithm>
#include <cmath>

#include "core/models/dcae/encoder.h"
#include "core/ops/elementwise.h"
#include "core/ops/resample.h"

namespace dc::models::dcae {
namespace {

// Receptive radius of the conv-only tail, in head-output pixels: every 3x3 conv
// adds one pixel at its resolution, and stage i runs at 2^(split - i) times the
// head's resolution (1 for the upsample conv of pixel_shuffle, which runs before
// the shuffle, counted at the finer resolution to stay conservative).
int64_t tail_receptive_radius(const DCAEConfig& c, size_t split) {
  double radius = 0;
  for (size_t i = split; i-- > 0;) {
    const double scale = static_cast<double>(int64_t{1} << (split - i));
    const bool has_up = c.decoder_layers_per_block[i] > 0;  // stage i starts with an upsample
    const int64_t convs = 2 * c.decoder_layers_per_block[i] + (has_up ? 1 : 0);
    radius += convs / scale;
  }
  radius += 1.0 / static_cast<double>(int64_t{1} << split);  // conv_out
  return static_cast<int64_t>(std::ceil(radius)) + 1;       // +1: the shuffle/upsample rounding
}

int64_t output_stage_channels(const DCAEConfig& c) {
  return c.decoder_layers_per_block[0] > 0 ? c.decoder_block_out_channels[0] : c.decoder_block_out_channels[1];
}

}  // namespace

Decoder::Decoder(nn::Module* parent, std::string name, const DCAEConfig& c)
    : Module(parent, std::move(name)),
      config_(c),
      conv_in_(this, "conv_in",
               {.in_channels = c.latent_channels, .out_channels = c.decoder_block_out_channels.back(),
                .kernel_size = 3, .padding = 1}),
      stages_(this, "up_blocks"),
      norm_out_(this, "norm_out", output_stage_channels(c), 1e-5f, true, true) {
  const auto& channels = c.decoder_block_out_channels;
  const auto& layers = c.decoder_layers_per_block;
  const bool interpolate = c.upsample_block_type == "interpolate";
  const size_t stages = channels.size();
  for (size_t i = 0; i < stages; ++i) {
    auto& stage = stages_.emplace();
    if (i + 1 < stages && layers[i] > 0) stage.emplace<DCUpBlock2d>(channels[i + 1], channels[i], interpolate, true);
    for (int64_t l = 0; l < layers[i]; ++l)
      add_stage_block(stage, c.decoder_block_types[i], channels[i], c.attention_head_dim,
                      c.decoder_qkv_multiscales[i], c.decoder_norm_types[i], c.decoder_act_fns[i]);
  }
  // The tail is at most the two finest stages (output/2 and output resolution, where
  // nearly all activation memory is) and never holds an attention block. A shorter
  // tail keeps the halo, i.e. the work tiles recompute, small.
  tail_stages_ = std::min<size_t>(stages, kMaxTailStages);
  for (size_t i = 0; i < tail_stages_; ++i) {
    if (c.decoder_block_types[i] == BlockType::kEfficientViTBlock && layers[i] > 0) {
      tail_stages_ = i;
      break;
    }
  }
  tail_halo_ = tail_receptive_radius(c, tail_stages_);
  const int64_t out_channels = output_stage_channels(c);
  if (layers[0] > 0) {
    conv_out_ = std::make_unique<nn::Conv2d>(
        this, "conv_out",
        nn::Conv2dSpec{.in_channels = out_channels, .out_channels = c.in_channels, .kernel_size = 3, .padding = 1});
  } else {
    conv_out_up_ = std::make_unique<DCUpBlock2d>(this, "conv_out", out_channels, c.in_channels, interpolate, false);
  }
}

Tensor Decoder::forward(const Tensor& z) const { return forward_tail(forward_head(z)); }

Tensor Decoder::forward_head(const Tensor& z) const {
  Tensor h = conv_in_.forward(z);  // [N, C_last, h, w]
  if (config_.decoder_in_shortcut) {
    const int64_t repeats = config_.decoder_block_out_channels.back() / config_.latent_channels;
    h = ops::add(h, ops::repeat_interleave_channels(z, repeats));
  }
  for (size_t i = stages_.size(); i-- > tail_stages_;) h = nn::run_sequential(stages_[i], h);
  return h;
}

Tensor Decoder::forward_tail(const Tensor& head) const {
  Tensor h = head;
  for (size_t i = tail_stages_; i-- > 0;) h = nn::run_sequential(stages_[i], h);
  h = norm_out_.forward_channels(h, {}, config_.decoder_conv_act_fn);  // norm + activation in one pass
  return conv_out_ ? conv_out_->forward(h) : conv_out_up_->forward(h);  // [N, 3, H, W]
}

}  // namespace dc::models::dcae
