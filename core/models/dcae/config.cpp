#include "core/models/dcae/config.h"

#include "core/io/diffusers/config_reader.h"

namespace dc::models::dcae {
namespace {

Result<std::vector<BlockType>> parse_block_types(const ConfigReader& r, std::string_view key, size_t stages) {
  DC_TRY(std::vector<std::string> names, r.get_string_or_list_or(key, stages, "ResBlock"));
  std::vector<BlockType> types;
  for (const std::string& n : names) {
    if (n == "ResBlock") {
      types.push_back(BlockType::kResBlock);
    } else if (n == "EfficientViTBlock") {
      types.push_back(BlockType::kEfficientViTBlock);
    } else {
      return Error::format(r.context() + ": " + std::string(key) + " has unknown block type '" + n + "'");
    }
  }
  return types;
}

Result<ops::Activation> parse_activation(const ConfigReader& r, std::string_view key, const std::string& name) {
  auto act = ops::activation_from_name(name);
  if (!act) return Error::format(r.context() + ": " + std::string(key) + ": " + act.error().message());
  return *act;
}

Status check_length(const ConfigReader& r, std::string_view key, size_t got, size_t stages) {
  if (got == stages) return {};
  return Error::format(r.context() + ": " + std::string(key) + " has " + std::to_string(got) + " entries, expected " +
                       std::to_string(stages) + " (one per stage of *_block_out_channels)");
}

}  // namespace

Result<DCAEConfig> parse_dcae_config(const ConfigReader& r) {
  DCAEConfig c;
  DC_TRY(c.in_channels, r.get_int_or("in_channels", 3));
  DC_TRY(c.latent_channels, r.get_int_or("latent_channels", 32));
  DC_TRY(c.attention_head_dim, r.get_int_or("attention_head_dim", 32));
  DC_TRY(c.encoder_block_out_channels, r.get_int_list_or("encoder_block_out_channels", {128, 256, 512, 512, 1024, 1024}));
  DC_TRY(c.decoder_block_out_channels, r.get_int_list_or("decoder_block_out_channels", {128, 256, 512, 512, 1024, 1024}));
  const size_t enc = c.encoder_block_out_channels.size(), dec = c.decoder_block_out_channels.size();
  if (enc < 2 || dec < 2) return Error::format(r.context() + ": DC-AE needs at least two stages");
  if (enc != dec) return Error::format(r.context() + ": encoder and decoder have different stage counts");
  DC_TRY(c.encoder_layers_per_block, r.get_int_list_or("encoder_layers_per_block", {2, 2, 2, 3, 3, 3}));
  DC_TRY(c.decoder_layers_per_block, r.get_int_list_or("decoder_layers_per_block", {3, 3, 3, 3, 3, 3}));
  DC_TRY(c.encoder_qkv_multiscales, r.get_int_list_list_or("encoder_qkv_multiscales", {{}, {}, {}, {5}, {5}, {5}}));
  DC_TRY(c.decoder_qkv_multiscales, r.get_int_list_list_or("decoder_qkv_multiscales", {{}, {}, {}, {5}, {5}, {5}}));
  DC_TRY(c.encoder_block_types, parse_block_types(r, "encoder_block_types", enc));
  DC_TRY(c.decoder_block_types, parse_block_types(r, "decoder_block_types", dec));
  DC_TRY(c.upsample_block_type, r.get_string_or("upsample_block_type", "pixel_shuffle"));
  DC_TRY(c.downsample_block_type, r.get_string_or("downsample_block_type", "pixel_unshuffle"));
  DC_TRY(c.decoder_norm_types, r.get_string_or_list_or("decoder_norm_types", dec, "rms_norm"));
  DC_TRY(std::vector<std::string> acts, r.get_string_or_list_or("decoder_act_fns", dec, "silu"));
  DC_TRY(c.encoder_out_shortcut, r.get_bool_or("encoder_out_shortcut", true));
  DC_TRY(c.decoder_in_shortcut, r.get_bool_or("decoder_in_shortcut", true));
  DC_TRY(std::string conv_act, r.get_string_or("decoder_conv_act_fn", "relu"));
  DC_TRY(c.scaling_factor, r.get_float_or("scaling_factor", 1.0));

  DC_TRY_STATUS(check_length(r, "encoder_layers_per_block", c.encoder_layers_per_block.size(), enc));
  DC_TRY_STATUS(check_length(r, "decoder_layers_per_block", c.decoder_layers_per_block.size(), dec));
  DC_TRY_STATUS(check_length(r, "encoder_qkv_multiscales", c.encoder_qkv_multiscales.size(), enc));
  DC_TRY_STATUS(check_length(r, "decoder_qkv_multiscales", c.decoder_qkv_multiscales.size(), dec));
  for (const std::string& a : acts) {
    DC_TRY(ops::Activation act, parse_activation(r, "decoder_act_fns", a));
    c.decoder_act_fns.push_back(act);
  }
  DC_TRY(c.decoder_conv_act_fn, parse_activation(r, "decoder_conv_act_fn", conv_act));
  for (const std::string& n : c.decoder_norm_types) {
    if (n != "rms_norm" && n != "batch_norm") {
      return Error::format(r.context() + ": decoder_norm_types has unsupported norm '" + n + "'");
    }
  }
  // Divisibility the architecture relies on (shortcuts average / repeat channel groups).
  auto positive = [](const std::vector<int64_t>& v) {
    for (int64_t x : v)
      if (x <= 0) return false;
    return true;
  };
  if (c.in_channels <= 0 || c.latent_channels <= 0 || c.attention_head_dim <= 0 ||
      !positive(c.encoder_block_out_channels) || !positive(c.decoder_block_out_channels)) {
    return Error::format(r.context() + ": channel counts and attention_head_dim must be positive");
  }
  if ((c.encoder_out_shortcut && c.encoder_block_out_channels.back() % c.latent_channels != 0) ||
      (c.decoder_in_shortcut && c.decoder_block_out_channels.back() % c.latent_channels != 0)) {
    return Error::format(r.context() +
                         ": with shortcuts on, the last block_out_channels must be a multiple of latent_channels");
  }
  for (size_t i = 0; i < enc; ++i) {
    if (c.encoder_layers_per_block[i] < 0 || c.decoder_layers_per_block[i] < 0) {
      return Error::format(r.context() + ": layers_per_block entries must be non-negative");
    }
    // An EfficientViTBlock has C // head_dim heads (diffusers truncates); it needs at least one.
    const bool enc_vit = c.encoder_block_types[i] == BlockType::kEfficientViTBlock && c.encoder_layers_per_block[i] > 0;
    const bool dec_vit = c.decoder_block_types[i] == BlockType::kEfficientViTBlock && c.decoder_layers_per_block[i] > 0;
    if ((enc_vit && c.encoder_block_out_channels[i] < c.attention_head_dim) ||
        (dec_vit && c.decoder_block_out_channels[i] < c.attention_head_dim)) {
      return Error::format(r.context() + ": stage " + std::to_string(i) +
                           " has fewer channels than attention_head_dim, so its EfficientViTBlock has no head");
    }
  }
  return c;
}

}  // namespace dc::models::dcae
