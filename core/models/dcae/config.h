// DCAEConfig: every option of diffusers' AutoencoderDC config.json
// (diffusers/models/autoencoders/autoencoder_dc.py, class AutoencoderDC),
// with per-stage fields already expanded to one entry per stage.
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/ops/elementwise.h"


namespace dc {
class ConfigReader;
}

namespace dc::models::dcae {

enum class BlockType { kResBlock, kEfficientViTBlock };

struct DCAEConfig {
  int64_t in_channels = 3;
  int64_t latent_channels = 32;
  int64_t attention_head_dim = 32;
  std::vector<BlockType> encoder_block_types;
  std::vector<BlockType> decoder_block_types;
  std::vector<int64_t> encoder_block_out_channels;
  std::vector<int64_t> decoder_block_out_channels;
  std::vector<int64_t> encoder_layers_per_block;
  std::vector<int64_t> decoder_layers_per_block;
  std::vector<std::vector<int64_t>> encoder_qkv_multiscales;
  std::vector<std::vector<int64_t>> decoder_qkv_multiscales;
  // diffusers compares only against "interpolate" / "pixel_unshuffle"; any other
  // spelling (the hub's sana configs say "Conv") means pixel_shuffle / strided conv.
  std::string upsample_block_type = "pixel_shuffle";
  std::string downsample_block_type = "pixel_unshuffle";
  std::vector<std::string> decoder_norm_types;           // "rms_norm" | "batch_norm" per stage
  std::vector<ops::Activation> decoder_act_fns;          // per stage
  bool encoder_out_shortcut = true;
  bool decoder_in_shortcut = true;
  ops::Activation decoder_conv_act_fn = ops::Activation::kReLU;
  double scaling_factor = 1.0;

  // 2^(stages-1): 32 for f32c32, 64 for f64c128.
  int64_t spatial_compression_ratio() const {
    return int64_t{1} << (encoder_block_out_channels.size() - 1);
  }
};

// Parses and validates (lengths agree, names known, channel counts divisible
// where the architecture needs it); errors name the file and key.
Result<DCAEConfig> parse_dcae_config(const ConfigReader& config);

}  // namespace dc::models::dcae
