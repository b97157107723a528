#include "core/models/autoencoder_kl/config.h"

#include <nlohmann/json.hpp>

#include "core/io/diffusers/config_reader.h"

namespace dc::models::autoencoder_kl {
namespace {

// An optional list of numbers (latents_mean / latents_std): null or absent means none.
Result<std::optional<std::vector<double>>> get_float_list_or_null(const ConfigReader& r, const char* key,
                                                                  int64_t expected_size) {
  if (!r.has(key)) return std::optional<std::vector<double>>();
  const nlohmann::json& v = r.json().at(key);
  std::vector<double> values;
  if (v.is_array()) {
    for (const nlohmann::json& e : v) {
      if (!e.is_number()) break;
      values.push_back(e.get<double>());
    }
  }
  if (!v.is_array() || values.size() != v.size()) {
    return Error::format(r.context() + ": key '" + key + "' must be null or a list of numbers");
  }
  if (static_cast<int64_t>(values.size()) != expected_size) {
    return Error::format(r.context() + ": key '" + key + "' has " + std::to_string(values.size()) +
                         " entries, expected one per latent channel (" + std::to_string(expected_size) + ")");
  }
  return std::optional<std::vector<double>>(std::move(values));
}

// diffusers.models.activations.get_activation: the decoder runs silu only.
Result<ops::Activation> parse_act_fn(const ConfigReader& r, const std::string& name) {
  if (name == "silu" || name == "swish") return ops::Activation::kSiLU;
  return Error::not_supported(r.context() + ": act_fn '" + name +
                              "' is not supported by the AutoencoderKL decoder (silu/swish are)");
}

}  // namespace

Result<AutoencoderKLConfig> parse_autoencoder_kl_config(const ConfigReader& r) {
  AutoencoderKLConfig c;
  DC_TRY(c.in_channels, r.get_int_or("in_channels", 3));
  DC_TRY(c.out_channels, r.get_int_or("out_channels", 3));
  DC_TRY(c.latent_channels, r.get_int_or("latent_channels", 4));
  DC_TRY(c.block_out_channels, r.get_int_list_or("block_out_channels", {64}));
  DC_TRY(c.layers_per_block, r.get_int_or("layers_per_block", 1));
  DC_TRY(c.norm_num_groups, r.get_int_or("norm_num_groups", 32));
  DC_TRY(std::string act, r.get_string_or("act_fn", "silu"));
  DC_TRY(c.act_fn, parse_act_fn(r, act));
  DC_TRY(c.up_block_types, r.get_string_list_or("up_block_types", {"UpDecoderBlock2D"}));
  DC_TRY(c.scaling_factor, r.get_float_or("scaling_factor", 0.18215));
  if (r.has("shift_factor")) {
    DC_TRY(double shift, r.get_float("shift_factor"));
    c.shift_factor = shift;
  }
  DC_TRY(c.use_quant_conv, r.get_bool_or("use_quant_conv", true));
  DC_TRY(c.use_post_quant_conv, r.get_bool_or("use_post_quant_conv", true));
  DC_TRY(c.mid_block_add_attention, r.get_bool_or("mid_block_add_attention", true));
  if (r.has("sample_size")) {
    const nlohmann::json& v = r.json().at("sample_size");
    const nlohmann::json& first = v.is_array() && !v.empty() ? v.front() : v;
    if (!first.is_number_integer() || first.get<int64_t>() <= 0) {
      return Error::format(r.context() + ": key 'sample_size' must be a positive integer or a list of them");
    }
    c.sample_size = first.get<int64_t>();
  }

  DC_TRY_STATUS(r.check_positive("out_channels", c.out_channels));
  DC_TRY_STATUS(r.check_positive("latent_channels", c.latent_channels));
  DC_TRY_STATUS(r.check_positive("norm_num_groups", c.norm_num_groups));
  DC_TRY(c.latents_mean, get_float_list_or_null(r, "latents_mean", c.latent_channels));
  DC_TRY(c.latents_std, get_float_list_or_null(r, "latents_std", c.latent_channels));
  if (c.block_out_channels.empty()) return Error::format(r.context() + ": block_out_channels is empty");
  if (c.layers_per_block < 0) return Error::format(r.context() + ": layers_per_block must be non-negative");
  if (!(c.scaling_factor > 0)) return Error::format(r.context() + ": scaling_factor must be positive");
  // Every GroupNorm of the decoder normalizes one of these widths in norm_num_groups groups.
  for (int64_t ch : c.block_out_channels) {
    if (ch <= 0 || ch % c.norm_num_groups != 0) {
      return Error::format(r.context() + ": block_out_channels entry " + std::to_string(ch) +
                           " is not a positive multiple of norm_num_groups (" + std::to_string(c.norm_num_groups) +
                           ")");
    }
  }
  // get_up_block strips a "UNetRes" prefix before matching the name.
  for (const std::string& t : c.up_block_types) {
    const std::string name = t.rfind("UNetRes", 0) == 0 ? t.substr(7) : t;
    if (name != "UpDecoderBlock2D") {
      return Error::not_supported(r.context() + ": up block type '" + t +
                                  "' is not supported by the AutoencoderKL decoder (UpDecoderBlock2D is)");
    }
  }
  // diffusers upsamples after every block but the last of block_out_channels; with
  // another count of up blocks its output size no longer follows the config.
  if (c.up_block_types.size() != c.block_out_channels.size()) {
    return Error::format(r.context() + ": up_block_types has " + std::to_string(c.up_block_types.size()) +
                         " entries, expected one per block_out_channels entry (" +
                         std::to_string(c.block_out_channels.size()) + ")");
  }
  return c;
}

}  // namespace dc::models::autoencoder_kl
