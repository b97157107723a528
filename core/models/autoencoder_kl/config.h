// AutoencoderKLConfig: the options of diffusers' AutoencoderKL config.json
// (diffusers/models/autoencoders/autoencoder_kl.py, class AutoencoderKL) that
// its decoder path reads: the VAE of standard FLUX.1 (16 latent channels,
// shift_factor, no quant convs) and of Stable Diffusion (4 channels, quant convs).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/ops/elementwise.h"

namespace dc {
class ConfigReader;
}

namespace dc::models::autoencoder_kl {

// Field defaults are diffusers' constructor defaults (what a config.json key left out means).
struct AutoencoderKLConfig {
  int64_t in_channels = 3;   // the encoder's input (not used by decode)
  int64_t out_channels = 3;  // decoded image channels
  int64_t latent_channels = 4;
  std::vector<int64_t> block_out_channels = {64};  // encoder order: [0] is the full-resolution stage
  int64_t layers_per_block = 1;                    // the decoder's up blocks hold layers_per_block + 1 resnets
  int64_t norm_num_groups = 32;
  ops::Activation act_fn = ops::Activation::kSiLU;  // "silu"/"swish"; the resnets' activation
  std::vector<std::string> up_block_types = {"UpDecoderBlock2D"};
  double scaling_factor = 0.18215;
  std::optional<double> shift_factor;               // null or absent: no shift (SD); FLUX.1: 0.1159
  std::optional<std::vector<double>> latents_mean;  // per-channel latent statistics some pipelines use
  std::optional<std::vector<double>> latents_std;
  bool use_quant_conv = true;       // encoder side; its weights are not loaded
  bool use_post_quant_conv = true;  // a 1x1 conv on the latent before the decoder
  bool mid_block_add_attention = true;
  int64_t sample_size = 32;  // image pixels per tile side of diffusers' tiled decode (FLUX.1: 1024)

  // 2^(stages-1): 8 for FLUX.1 and SD.
  int64_t spatial_compression_ratio() const { return int64_t{1} << (block_out_channels.size() - 1); }
};

// Parses and validates the decoder's options; errors name the file and key. An
// activation other than silu or an up block type other than UpDecoderBlock2D is
// kNotSupported; malformed values are kFormat. force_upcast and the encoder-only
// down_block_types are ignored; sample_size may be a number or [h, w] (the first is used, as
// diffusers' tiling does).
Result<AutoencoderKLConfig> parse_autoencoder_kl_config(const ConfigReader& config);

}  // namespace dc::models::autoencoder_kl
