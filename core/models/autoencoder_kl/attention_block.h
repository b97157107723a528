// diffusers attention_processor.py Attention as UNetMidBlock2D builds it for the
// VAE (group_norm, one head as wide as the channels: attention_head_dim =
// channels, residual_connection, rescale_output_factor 1) run by
// AttnProcessor2_0: x + to_out(sdpa(to_q(n), to_k(n), to_v(n))), n = GroupNorm(x)
// over the H·W tokens of each image.
#pragma once

#include "core/models/autoencoder_kl/wide_head_attention.h"
#include "core/nn/linear.h"
#include "core/nn/norms.h"

namespace dc::models::autoencoder_kl {

class AttentionBlock : public nn::Module {
 public:
  AttentionBlock(nn::Module* parent, std::string name, int64_t channels, int64_t groups);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> same

  // Heads wider than this run through attention_split_head_dim; 0 (the default)
  // means the device's limit (CUDA: 256; the CPU reference takes any width).
  void set_max_fused_head_dim(int64_t dim) { max_fused_head_dim_ = dim; }

 private:
  int64_t channels_;
  int64_t max_fused_head_dim_ = 0;
  nn::GroupNorm group_norm_;           // "group_norm"
  nn::Linear to_q_;                    // "to_q" [C, C]
  nn::Linear to_k_;                    // "to_k"
  nn::Linear to_v_;                    // "to_v"
  nn::ModuleList<nn::Linear> to_out_;  // "to_out": "0" the projection ("1" is a dropout, no weights)
};

}  // namespace dc::models::autoencoder_kl
