#include "core/models/autoencoder_kl/decoder.h"

namespace dc::models::autoencoder_kl {

Decoder::Decoder(nn::Module* parent, std::string name, const AutoencoderKLConfig& c)
    : Module(parent, std::move(name)),
      conv_in_(this, "conv_in",
               {.in_channels = c.latent_channels,
                .out_channels = c.block_out_channels.back(),
                .kernel_size = 3,
                .padding = 1}),
      mid_block_(this, "mid_block", c),
      up_blocks_(this, "up_blocks"),
      conv_norm_out_(this, "conv_norm_out", c.block_out_channels.front(), c.norm_num_groups, 1e-6f),
      conv_out_(this, "conv_out",
                {.in_channels = c.block_out_channels.front(),
                 .out_channels = c.out_channels,
                 .kernel_size = 3,
                 .padding = 1}) {
  // vae.py: up block i goes from reversed(block_out_channels)[i-1] to [i] channels.
  const std::vector<int64_t> widths(c.block_out_channels.rbegin(), c.block_out_channels.rend());
  for (size_t i = 0; i < widths.size(); ++i) {
    const int64_t in = widths[i == 0 ? 0 : i - 1];
    const bool last = i + 1 == widths.size();
    up_blocks_.emplace(in, widths[i], c.layers_per_block + 1, c.norm_num_groups, c.act_fn, !last);
  }
}

Tensor Decoder::forward(const Tensor& z) const {
  Tensor h = conv_in_.forward(z);  // [N, C_last, h, w]
  h = mid_block_.forward(h);       // [N, C_last, h, w]
  tap("mid_block", h);
  for (const auto& block : up_blocks_) h = block->forward(h);  // [N, C_0, h·f, w·f]
  h = conv_norm_out_.forward(h, ops::Activation::kSiLU);       // conv_act is nn.SiLU whatever act_fn says
  return conv_out_.forward(h);                                 // [N, out_channels, h·f, w·f]
}

}  // namespace dc::models::autoencoder_kl
