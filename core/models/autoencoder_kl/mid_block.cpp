#include "core/models/autoencoder_kl/mid_block.h"

namespace dc::models::autoencoder_kl {

MidBlock2D::MidBlock2D(nn::Module* parent, std::string name, const AutoencoderKLConfig& c)
    : Module(parent, std::move(name)), resnets_(this, "resnets"), attentions_(this, "attentions") {
  const int64_t channels = c.block_out_channels.back();
  for (int i = 0; i < 2; ++i) resnets_.emplace(channels, channels, c.norm_num_groups, c.act_fn);
  if (c.mid_block_add_attention) attentions_.emplace(channels, c.norm_num_groups);
}

void MidBlock2D::set_max_fused_head_dim(int64_t dim) {
  for (const auto& a : attentions_) a->set_max_fused_head_dim(dim);
}

Tensor MidBlock2D::forward(const Tensor& x) const {
  Tensor h = resnets_[0].forward(x);  // [N, C, h, w]
  if (!attentions_.empty()) h = attentions_[0].forward(h);
  return resnets_[1].forward(h);  // [N, C, h, w]
}

}  // namespace dc::models::autoencoder_kl
