#include "core/models/text/t5_config.h"

#include <utility>

#include "core/io/diffusers/config_reader.h"

namespace dc::models::text {
Result<T5Config> parse_t5_config(const ConfigReader& r) {
  T5Config c;
  DC_TRY(c.vocab_size, r.get_int_or("vocab_size", c.vocab_size));
  DC_TRY(c.d_model, r.get_int_or("d_model", c.d_model));
  DC_TRY(c.d_kv, r.get_int_or("d_kv", c.d_kv));
  DC_TRY(c.d_ff, r.get_int_or("d_ff", c.d_ff));
  DC_TRY(c.num_layers, r.get_int_or("num_layers", c.num_layers));
  DC_TRY(c.num_heads, r.get_int_or("num_heads", c.num_heads));
  DC_TRY(c.relative_attention_num_buckets, r.get_int_or("relative_attention_num_buckets", c.relative_attention_num_buckets));
  DC_TRY(c.relative_attention_max_distance,
         r.get_int_or("relative_attention_max_distance", c.relative_attention_max_distance));
  DC_TRY(c.layer_norm_epsilon, r.get_float_or("layer_norm_epsilon", c.layer_norm_epsilon));
  DC_TRY(c.feed_forward_proj, r.get_string_or("feed_forward_proj", c.feed_forward_proj));

  const std::pair<const char*, int64_t> sizes[] = {
      {"vocab_size", c.vocab_size},
      {"d_model", c.d_model},
      {"d_kv", c.d_kv},
      {"d_ff", c.d_ff},
      {"num_layers", c.num_layers},
      {"num_heads", c.num_heads},
      {"relative_attention_max_distance", c.relative_attention_max_distance}};
  for (const auto& [key, value] : sizes) DC_TRY_STATUS(r.check_positive(key, value));
  if (c.relative_attention_num_buckets < 4) {
    // Bidirectional buckets: half per direction, half of those exact, so at least 4.
    return Error::format(r.context() + ": relative_attention_num_buckets must be at least 4, got " +
                         std::to_string(c.relative_attention_num_buckets));
  }
  // The log-spaced buckets span max_exact (a quarter of the buckets) to max_distance.
  if (c.relative_attention_max_distance <= c.relative_attention_num_buckets / 4) {
    return Error::format(r.context() + ": relative_attention_max_distance " +
                         std::to_string(c.relative_attention_max_distance) + " must exceed relative_attention_num_buckets / 4");
  }
  if (!(c.layer_norm_epsilon > 0)) return Error::format(r.context() + ": layer_norm_epsilon must be positive");

  // T5Config.__post_init__: "<act>" or "gated-<act>"; "gated-gelu" is gelu_new for backwards compatibility.
  const std::string& proj = c.feed_forward_proj;
  const size_t dash = proj.find('-');
  const bool gated = dash != std::string::npos && proj.substr(0, dash) == "gated";
  if ((dash != std::string::npos && !gated) || (gated && proj.find('-', dash + 1) != std::string::npos)) {
    return Error::format(r.context() + ": feed_forward_proj '" + proj +
                         "' is not of the form '<act>' or 'gated-<act>' (e.g. 'relu', 'gated-gelu')");
  }
  std::string act = gated ? proj.substr(dash + 1) : proj;
  if (proj == "gated-gelu") act = "gelu_new";
  DC_TRY(act, r.get_string_or("dense_act_fn", act));
  DC_TRY(c.is_gated_act, r.get_bool_or("is_gated_act", gated));
  auto parsed = ops::activation_from_name(act);
  if (!parsed) return Error::format(r.context() + ": dense_act_fn '" + act + "': " + parsed.error().message());
  c.dense_act = *parsed;
  return c;
}

}  // namespace dc::models::text
